"""Specs for the phrase lexicon: activity classes, note signals and contact authority."""

from __future__ import annotations

import pytest

from rules.lexicon import ActivityClass, Lexicon, Signal, load_lexicon, stem, tokens


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


# ------------------------------------------------------------------ word forms


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (("grabbed", "grabbing", "grabs", "grab"), "grab"),
        (("beers", "beer"), "beer"),
        (("checked", "checking", "checks"), "check"),
        (("approvals", "approval"), "approval"),
        (("evaluate", "evaluated", "evaluating"), "evaluat"),
        (("replied", "replies", "reply"), "reply"),
    ],
)
def test_stemmer_maps_word_forms_to_one_stem(forms: tuple[str, ...], expected: str) -> None:
    """Inflected forms of a word share one stem."""
    assert {stem(f) for f in forms} == {expected}


@pytest.mark.parametrize("text", ["doesn't", "doesnt", "does not", "Doesn’t"])
def test_negative_contractions_expand_the_same_way(text: str) -> None:
    """Contractions with, without and with curly apostrophes all read as "not"."""
    assert tokens(text) == ("not",)


@pytest.mark.parametrize("text", ["sign-off", "signoff", "sign off", "signed off"])
def test_sign_off_spellings_tokenise_alike(text: str) -> None:
    """Hyphenated, joined and spaced "sign off" are the same words."""
    assert tokens(text) == ("sign", "off")


# ------------------------------------------------------------------ activity classes


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Drinks", "Grabbed a beer with Tom after work"),
        ("", "grabbed a couple of beers with the team"),
        ("Tickets to the game", ""),
        ("Lunch with Ann", "nice catch up, talked about her kids"),
        ("", "Took him to the Knicks game"),
        ("Holiday card", ""),
    ],
)
def test_social_touches_classify_as_social(lex: Lexicon, subject: str, body: str) -> None:
    """Lunches, beers, games and cards are social touches."""
    assert lex.classify(subject, body) is ActivityClass.SOCIAL


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Just checking in", ""),
        ("Call", "Left VM, no answer"),
        ("Touching base", "any updates on your side?"),
        ("", "Circling back on my last email"),
    ],
)
def test_check_ins_classify_as_check_in(lex: Lexicon, subject: str, body: str) -> None:
    """Checking in, voicemails and no-answers are check-ins."""
    assert lex.classify(subject, body) is ActivityClass.CHECK_IN


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Sent deck", "plus two case studies and the ROI calculator"),
        ("", "Offered end-of-quarter pricing with a 15% discount"),
        ("Brochure", "sent more info about the new features"),
    ],
)
def test_material_and_offers_classify_as_pitch(lex: Lexicon, subject: str, body: str) -> None:
    """Decks, brochures, pricing and discounts are pitches."""
    assert lex.classify(subject, body) is ActivityClass.PITCH


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Meeting", "Their team evaluated the tool against their requirements"),
        ("", "Security questionnaire returned by their IT"),
        ("Pilot kickoff", ""),
        ("", "They mapped their current process in a workshop"),
    ],
)
def test_buyer_side_work_classifies_as_buyer_work(lex: Lexicon, subject: str, body: str) -> None:
    """Evaluations, security reviews, pilots and workshops are buyer work."""
    assert lex.classify(subject, body) is ActivityClass.BUYER_WORK


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("RE: our conversation", "thanks, talk soon"),
        ("Re: follow up", ""),
        ("Call", "She called back this morning"),
        ("Email", "He replied with two questions"),
    ],
)
def test_buyer_replies_classify_as_inbound(lex: Lexicon, subject: str, body: str) -> None:
    """Reply subjects and buyer call-backs are inbound."""
    assert lex.classify(subject, body) is ActivityClass.INBOUND


def test_unmatched_text_is_other(lex: Lexicon) -> None:
    """Text with no known phrase is OTHER."""
    assert lex.classify("Updated CRM fields", "") is ActivityClass.OTHER


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Sent deck, then their team evaluated it over lunch", ActivityClass.BUYER_WORK),
        ("She called back after the demo over lunch", ActivityClass.INBOUND),
        ("Sent the brochure over lunch", ActivityClass.PITCH),
        ("Coffee, just checking in", ActivityClass.SOCIAL),
    ],
)
def test_priority_is_buyer_work_inbound_pitch_social_check_in(
    lex: Lexicon, body: str, expected: ActivityClass
) -> None:
    """When several classes match, the higher-priority one wins."""
    assert lex.classify("", body) is expected


def test_reply_subject_beats_pitch_but_not_buyer_work(lex: Lexicon) -> None:
    """A "RE:" subject is inbound, yet buyer-side work still outranks it."""
    assert lex.classify("RE: pricing", "") is ActivityClass.INBOUND
    assert lex.classify("RE: pricing", "security review done") is ActivityClass.BUYER_WORK


def test_negated_social_touch_is_not_social(lex: Lexicon) -> None:
    """ "Never made it to lunch" is not a social touch."""
    assert lex.classify("", "never made it to lunch") is ActivityClass.OTHER


# ------------------------------------------------------------------ note signals


@pytest.mark.parametrize(
    "text",
    [
        "Works well enough for now",
        "They are hitting their numbers, happy with their current vendor",
        "It's not a priority this year",
        "Doesn't see the need",
        "if it ain't broke why fix it",
        "No real pain with the spreadsheets",
    ],
)
def test_status_quo_notes_signal_no_need(lex: Lexicon, text: str) -> None:
    """Notes saying the status quo is fine carry NO_NEED."""
    assert Signal.NO_NEED in lex.signals(text)


@pytest.mark.parametrize(
    "text",
    ["no longer happy with their current vendor", "not hitting their numbers"],
)
def test_negated_status_quo_is_not_no_need(lex: Lexicon, text: str) -> None:
    """A negated "happy with" or "hitting their numbers" is not NO_NEED but NEED."""
    assert lex.signals(text) == frozenset({Signal.NEED})


@pytest.mark.parametrize(
    "text",
    [
        "Needs the director's sign-off",
        "Has to run it by the CFO",
        "Waiting on budget, maybe budget next year",
        "Her boss doesn't believe in it",
        "Not my call, above my pay grade",
        "Pending approvals from procurement",
    ],
)
def test_dependency_on_others_signals_authority(lex: Lexicon, text: str) -> None:
    """Sign-off, approvals, bosses and budget waits carry AUTHORITY."""
    assert Signal.AUTHORITY in lex.signals(text)


def test_director_sign_off_evidence_names_the_phrase(lex: Lexicon) -> None:
    """matches() reports which phrases matched, for evidence."""
    assert "director sign off" in lex.matches("needs the director's sign-off", "authority")


@pytest.mark.parametrize(
    "text",
    [
        "Maybe next year",
        "Not ready yet, need to think about it",
        "Timing isn't right, put on hold",
        "Revisit in Q2, too much going on",
    ],
)
def test_not_now_notes_signal_hesitation(lex: Lexicon, text: str) -> None:
    """ "Not now" notes carry HESITATION."""
    assert Signal.HESITATION in lex.signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "They want to fix onboarding",
        "Struggling with manual reporting, losing time every week",
        "Asked for a proposal; a priority this quarter",
    ],
)
def test_recognised_problems_signal_need(lex: Lexicon, text: str) -> None:
    """Notes where the buyer names a problem carry NEED."""
    assert Signal.NEED in lex.signals(text)


def test_neutral_note_has_no_signals(lex: Lexicon) -> None:
    """Neutral text carries no signal."""
    assert lex.signals("Discussed the agenda for Tuesday") == frozenset()


def test_negation_does_not_cross_a_sentence(lex: Lexicon) -> None:
    """A negator in the previous sentence does not negate the next one."""
    assert Signal.NO_NEED in lex.signals("No. Happy with the current setup")


def test_matches_rejects_unknown_category(lex: Lexicon) -> None:
    """Asking for an unknown category fails loudly."""
    with pytest.raises(ValueError, match="bogus"):
        lex.matches("lunch", "bogus")


# ------------------------------------------------------------------ authority_of


@pytest.mark.parametrize(
    "role", ["Economic Buyer", "economic decision maker", "Decision Maker", "Executive Sponsor"]
)
def test_decision_roles_have_authority(lex: Lexicon, role: str) -> None:
    """Decision roles carry authority whatever the title."""
    assert lex.authority_of("Coordinator", role)


@pytest.mark.parametrize(
    "title",
    [
        "CEO",
        "Chief Financial Officer",
        "Sr. VP of Sales",
        "Vice President, Operations",
        "Head of Procurement",
        "Director of IT",
        "Co-Founder & CEO",
        "General Manager",
        "Owner",
    ],
)
def test_senior_titles_have_authority(lex: Lexicon, title: str) -> None:
    """C-level, VP, Head of, Director, Owner and GM titles carry authority."""
    assert lex.authority_of(title, "Champion")


@pytest.mark.parametrize(
    "title",
    [
        "Training Coordinator",
        "Sales Manager",
        "Business Analyst",
        "Executive Assistant",
        "Assistant to the CEO",
        "Software Engineer",
        "",
    ],
)
def test_junior_titles_without_decision_role_lack_authority(lex: Lexicon, title: str) -> None:
    """Managers, coordinators, assistants and engineers with a non-decision role lack it."""
    assert not lex.authority_of(title, "Influencer")


def test_role_lists_may_hold_several_roles(lex: Lexicon) -> None:
    """A multi-valued role field counts if any role is a decision role."""
    assert lex.authority_of("Analyst", "Influencer;Decision Maker")


# ------------------------------------------------------------------ loading


def test_extra_toml_adds_to_the_defaults(lex: Lexicon) -> None:
    """A team's extra phrases are added, and the defaults still match."""
    team = load_lexicon(extra='social = ["pickleball"]\nauthority_titles = ["controller"]')
    assert team.classify("", "Played pickleball with Sam") is ActivityClass.SOCIAL
    assert team.classify("", "Lunch") is ActivityClass.SOCIAL
    assert team.authority_of("Controller", "")
    assert lex.classify("", "Played pickleball with Sam") is ActivityClass.OTHER


def test_word_normalisation_tables_are_data_a_team_can_extend(lex: Lexicon) -> None:
    """Title stop words (like contraction bases and auxiliaries) come from the lexicon
    file, so a team's extra words change where a title's head ends."""
    assert lex.authority_of("Director of Sales", "")
    assert not lex.authority_of("Assistant to the Director", "")  # "to" ends the head
    assert lex.authority_of("Director bei Vertrieb", "")
    team = load_lexicon(extra='[words]\ntitle_stops = ["bei"]')
    assert team.authority_of("Director bei Vertrieb", "")  # head: "director"
    assert not team.authority_of("Assistent bei Director", "")  # head: "assistent"
    assert lex.authority_of("Assistent bei Director", "")  # without the extra stop word
    assert tokens("we can't") == tokens("we cannot") == tokens("we can not")


def test_unknown_category_in_extra_fails_naming_it() -> None:
    """An unknown category name raises ValueError naming it."""
    with pytest.raises(ValueError, match="socail"):
        load_lexicon(extra='socail = ["padel"]')


def test_phrase_of_only_filler_words_fails() -> None:
    """A phrase with nothing to match is rejected."""
    with pytest.raises(ValueError, match="the"):
        load_lexicon(extra='social = ["the"]')


def test_explicit_text_replaces_the_defaults() -> None:
    """Passing text builds a lexicon from that text alone."""
    tiny = load_lexicon('check_in = ["ping"]')
    assert tiny.classify("", "ping") is ActivityClass.CHECK_IN
    assert tiny.classify("", "lunch") is ActivityClass.OTHER


def test_repeated_texts_give_the_same_answer(lex: Lexicon) -> None:
    """The per-text cache returns the same result as a fresh scan."""
    first = lex.classify("Call", "Left VM")
    assert lex.classify("Call", "Left VM") is first is ActivityClass.CHECK_IN


def test_phrase_that_collapses_to_one_filler_stripped_word_fails() -> None:
    """A multi-word phrase reduced to one word by filler removal is rejected, not broadened."""
    with pytest.raises(ValueError, match="does the job"):
        load_lexicon(extra='no_need = ["does the job"]')
