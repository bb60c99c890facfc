"""Specs for reading activity text as sales teams log it: languages, general rules, who
spoke, and material the buyer asked for."""

from __future__ import annotations

from datetime import date

import pytest

from rules.base import build_view
from rules.lexicon import ActivityClass, Cue, Lexicon, Names, Party, Signal, load_lexicon
from rules.model import Activity, ActivityKind, Contact, Deal, Direction, Owner, Pipeline

AS_OF = date(2026, 10, 15)


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


# ------------------------------------------------------------------ languages


@pytest.mark.parametrize(
    "text",
    [
        "Mittagessen mit Jonas",
        "Kaffeepause am Hof",
        "comida con Marta en el puerto",
        "déjeuner avec Claire",
        "almoço com a Rita",
        "lunch met Femke",
        "borrel na de beurs",
        "cañas con el equipo",
    ],
)
def test_social_touches_in_other_languages(lex: Lexicon, text: str) -> None:
    assert lex.classify(text, "") is ActivityClass.SOCIAL


@pytest.mark.parametrize(
    "text",
    [
        "dice q el Excel les va bien de momento",
        "on se débrouille avec notre tableur, ça nous convient",
        "ze behelpen zich met Excel, het gaat prima zo",
        "tá bom assim, a planilha resolve",
        "bleiben erstmal bei der alten Lösung",
        "the team tolerates the whiteboard",
        "for the time being they'll stick with phone calls",
    ],
)
def test_indirect_status_quo_in_several_languages(lex: Lexicon, text: str) -> None:
    assert Signal.NO_NEED in lex.signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "let's revisit after Q1",
        "Hablamos después del verano",
        "na de bouwvak kijken we verder",
        "on en reparle à la rentrée",
        "Jonas will nach der Messe nochmal mit ihm reden",
        "voltamos a falar depois do carnaval",
    ],
)
def test_deferral_to_a_named_later_time_is_hesitation(lex: Lexicon, text: str) -> None:
    """A talk-again phrase plus a later time in the same clause: no phrase lists the pair."""
    assert Signal.HESITATION in lex.signals(text)


def test_a_named_time_without_a_deferral_is_not_hesitation(lex: Lexicon) -> None:
    assert Signal.HESITATION not in lex.signals("installed the sensors after the summer fair")


# Written for this test, not taken from any corpus: the same ideas in the languages added
# with the second multilingual set (Italian, Polish, Czech, Swedish, Danish, Norwegian,
# Finnish). Each one reads as nothing without its language file.
LATER_LANGUAGES = [
    ("pranzo con Giulia e il suo capo", ActivityClass.SOCIAL),
    ("obiad z Tomkiem w centrum", ActivityClass.SOCIAL),
    ("oběd s panem Novákem", ActivityClass.SOCIAL),
    ("fika med Anna på kontoret", ActivityClass.SOCIAL),
    ("frokost med Lars", ActivityClass.SOCIAL),
    ("lounaalla Mikon kanssa", ActivityClass.SOCIAL),
    ("richiamato, nessuna risposta", ActivityClass.CHECK_IN),
    ("brak odpowiedzi, zostawiłem wiadomość", ActivityClass.CHECK_IN),
    ("ingen svar, lämnade röstmeddelande", ActivityClass.CHECK_IN),
    ("inviato il preventivo con lo sconto", ActivityClass.PITCH),
    ("wysłałem ofertę i cennik", ActivityClass.PITCH),
    ("per ora siamo a posto con Excel", Signal.NO_NEED),
    ("na razie Excel nam wystarcza", Signal.NO_NEED),
    ("zatím nám Excel stačí", Signal.NO_NEED),
    ("vi är nöjda med nuvarande lösning", Signal.NO_NEED),
    ("vi er tilfredse med det vi har", Signal.NO_NEED),
    ("Excel riittää meille toistaiseksi", Signal.NO_NEED),
    ("deve decidere il consiglio di amministrazione", Signal.AUTHORITY),
    ("decyzja należy do zarządu", Signal.AUTHORITY),
    ("musí to schválit majitel", Signal.AUTHORITY),
    ("styrelsen måste godkänna", Signal.AUTHORITY),
    ("bestyrelsen skal godkende det", Signal.AUTHORITY),
    ("hallitus päättää asiasta", Signal.AUTHORITY),
    ("non ora, forse l'anno prossimo", Signal.HESITATION),
    ("nie teraz, może w przyszłym roku", Signal.HESITATION),
    ("teď ne, možná příští rok", Signal.HESITATION),
    ("inte nu, kanske nästa år", Signal.HESITATION),
    ("ikke nu, måske næste år", Signal.HESITATION),
    ("ei nyt, ehkä ensi vuonna", Signal.HESITATION),
]


@pytest.mark.parametrize(("text", "meaning"), LATER_LANGUAGES)
def test_the_later_languages_read_like_the_first(
    lex: Lexicon, text: str, meaning: ActivityClass | Signal
) -> None:
    if isinstance(meaning, ActivityClass):
        assert lex.classify(text, "") is meaning
    else:
        assert meaning in lex.signals(text)


def test_other_languages_do_not_collide_with_english_stems(lex: Lexicon) -> None:
    """French "reporté" is hesitation; English "reporting" is not; "signed" is not "signe"."""
    assert Signal.HESITATION in lex.signals("projet reporté")
    assert Signal.HESITATION not in lex.signals("reporting sous Excel")
    assert Signal.AUTHORITY not in lex.signals("RE: 10% off if signed by 9/30")


# ------------------------------------------------------------------ general rules


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Excel funktioniert nicht mehr", Signal.NO_NEED),
        ("Procurement won't engage yet", None),
        ("no budget this year", Signal.AUTHORITY),
    ],
)
def test_negation_before_and_after(lex: Lexicon, text: str, signal: Signal | None) -> None:
    signals = lex.signals(text)
    if signal is None:
        assert lex.classify(text, "") is not ActivityClass.BUYER_WORK
    elif text.startswith("Excel"):
        assert signal not in signals
    else:
        assert signal in signals


def test_work_on_other_projects_is_not_buyer_work(lex: Lexicon) -> None:
    assert lex.classify("", "busy with their ERP rollout plan") is not ActivityClass.BUYER_WORK
    assert lex.classify("", "their rollout plan for our tool is ready") is ActivityClass.BUYER_WORK


def test_material_the_rep_made_is_not_buyer_work(lex: Lexicon) -> None:
    reading = lex.read("ROI + business case", "a 2-pager business case I wrote for Chloe")
    assert reading.cls is ActivityClass.PITCH and Cue.REP_MADE in reading.cues


def test_a_follow_up_about_material_is_a_check_in(lex: Lexicon) -> None:
    assert lex.classify("f/u quote", "any update on the quote?") is ActivityClass.CHECK_IN
    assert lex.classify("ROI", "no news yet, attached our ROI calculator") is ActivityClass.PITCH


def test_a_pasted_email_header_names_the_sender(lex: Lexicon) -> None:
    body = "From: Linda de Vos\nSent: Tuesday\nSubject: quote\n\nIs installation included?\n\n> old"
    sender, text = lex.email_parts(body)
    assert sender == "Linda de Vos" and text == "Is installation included?"


# ------------------------------------------------------------------ who spoke

REP = Names.of(["Lena Vogel"])
BUYER = Names.of(["Jonas Weber", "Anke Meyer"])


@pytest.mark.parametrize(
    ("subject", "body", "party"),
    [
        ("AW: Angebot", "Hallo Lena, danke, schauen wir uns an. Gruß Jonas", Party.BUYER),
        ("Angebot", "Hallo Jonas, anbei das Angebot. VG Lena", Party.REP),
        ("RE: quote", "Lena - can you add the second site?", Party.BUYER),
        ("RE: quote", "Jonas - circling back on the quote", Party.REP),
        ("RE: quote", "Jonas: fine, send it over", Party.BUYER),
        ("RE: pricing", "ok thanks, will look", Party.BUYER),
        ("RE: pricing", "just checking in on this", Party.UNKNOWN),
        ("Email", "From: Anke Meyer <a@x>\nTo: Lena\n\nanbei der Export", Party.BUYER),
        ("pricing", "", Party.UNKNOWN),
    ],
)
def test_who_wrote_an_email(lex: Lexicon, subject: str, body: str, party: Party) -> None:
    sender, text = lex.email_parts(body)
    rep_like = (lex.read(text) if lex.reply_prefix(subject) else lex.read(subject, text)).rep_like
    found, _ = lex.speaker(
        subject, text, written=True, rep=REP, buyer=BUYER, rep_like=rep_like, sender=sender
    )
    assert found is party


def test_a_note_can_report_the_buyers_words(lex: Lexicon) -> None:
    _, reported = lex.speaker("call", "Jonas: nu even niet", written=False, rep=REP, buyer=BUYER)
    assert reported
    party, _ = lex.speaker("Jonas called", "", written=False, rep=REP, buyer=BUYER)
    assert party is Party.BUYER


def _view(*acts: Activity) -> Pipeline:
    return Pipeline(
        deals=(Deal("D1", "Acme", owner_id="U1", created=date(2026, 1, 1)),),
        activities=acts,
        contacts=(Contact("C1", "Jonas Weber"),),
        owners=(Owner("U1", "Lena Vogel"),),
    )


def test_material_the_buyer_asked_for_is_not_a_pitch(lex: Lexicon) -> None:
    p = _view(
        Activity("A1", "D1", ActivityKind.EMAIL, subject="RE: intro",
                 body="Lena, can you send pricing for 40 users? Jonas", date=date(2026, 9, 1),
                 contact_id="C1"),
        Activity("A2", "D1", ActivityKind.EMAIL, subject="pricing", body="pricing sheet attached",
                 date=date(2026, 9, 3), contact_id="C1"),
        Activity("A3", "D1", ActivityKind.EMAIL, subject="case study", body="sent a case study",
                 date=date(2026, 9, 20), contact_id="C1"),
    )  # fmt: skip
    view = build_view(p, p.deals[0], AS_OF, lex)
    asked, pricing, case = view.past
    assert asked.from_buyer and asked.asks
    assert not pricing.is_pitch and pricing.requested
    assert case.is_pitch  # one answer per ask: later material is the rep's own push


def test_a_call_result_decides_whether_the_buyer_took_part(lex: Lexicon) -> None:
    p = _view(
        Activity("A1", "D1", ActivityKind.CALL, subject="call", outcome="connected",
                 date=date(2026, 9, 1)),
        Activity("A2", "D1", ActivityKind.CALL, subject="call", outcome="left voicemail",
                 date=date(2026, 9, 2)),
        Activity("A3", "D1", ActivityKind.EMAIL, subject="hello", date=date(2026, 9, 3)),
        Activity("A4", "D1", ActivityKind.CALL, subject="call", direction=Direction.INBOUND,
                 date=date(2026, 9, 4)),
    )  # fmt: skip
    connected, voicemail, unknown, inbound = build_view(p, p.deals[0], AS_OF, lex).past
    assert connected.is_response and not connected.is_outreach
    assert voicemail.is_outreach and not voicemail.is_response
    assert not unknown.is_response and not unknown.is_outreach  # unknown stays unknown
    assert inbound.from_buyer and inbound.is_response


def test_the_reps_own_words_carry_no_buyer_signal(lex: Lexicon) -> None:
    """ "No rush, whenever you're ready" from the rep is not the buyer hesitating."""
    p = _view(
        Activity("A1", "D1", ActivityKind.EMAIL, subject="check in",
                 body="Hi Jonas, no rush, whenever you're ready. Lena", date=date(2026, 9, 1)),
    )  # fmt: skip
    (touch,) = build_view(p, p.deals[0], AS_OF, lex).past
    assert touch.party is Party.REP and not touch.signals


@pytest.mark.parametrize(
    ("subject", "body"),
    [("Can you send the contract", "thanks"), ("hi", "could you send the deck")],
)
def test_one_shared_lexicon_reads_a_text_as_a_fresh_one_does(subject: str, body: str) -> None:
    # Joined with a newline, a subject plus a body spells the same text as a one-part
    # subject; the two read differently (who asks), so the shared memo must not mix them.
    joined = f"{subject}\n{body}"
    fresh_split = load_lexicon().read(subject, body)
    fresh_joined = load_lexicon().read(joined)
    assert fresh_split != fresh_joined
    for order in ((subject, body), (joined, "")), ((joined, ""), (subject, body)):
        shared = load_lexicon()
        got = [shared.read(s, b) for s, b in order]
        want = [fresh_split if b else fresh_joined for _, b in order]
        assert got == want


def test_what_write_back_recorded_in_the_crm_is_not_a_touch(lex: Lexicon) -> None:
    # "I'll ask this", written to the CRM and read back from the next export, is the rep's
    # plan: counted as a touch it would hide a deal going quiet behind a button click.
    mark = "dealnudge-0123456789abcdef0123"
    p = _view(
        Activity("A1", "D1", ActivityKind.CALL, subject="call Jonas", outcome="connected",
                 date=date(2026, 9, 1)),
        Activity("A2", "D1", ActivityKind.TASK, subject="Facilitation question to ask",
                 body=f"Lena will ask the buyer: who else decides?\n\n({mark})",
                 date=date(2026, 9, 20)),
        Activity("A3", "D1", ActivityKind.TASK, subject="follow up", body="dealnudge-notes",
                 date=date(2026, 9, 21)),
    )  # fmt: skip
    assert [t.activity.id for t in build_view(p, p.deals[0], AS_OF, lex).past] == ["A1", "A3"]
