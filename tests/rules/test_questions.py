"""Specs for the facilitation question bank: content lint, validation, rotation, rendering."""

from __future__ import annotations

import re

import pytest

from rules.questions import (
    PATTERNS,
    STEPS,
    Question,
    QuestionBank,
    QuestionContext,
    load_questions,
    render,
)

BANK = load_questions()
ALL = BANK.questions
FULL = QuestionContext(first_name="Dana", account="Acme Corp", deal="Acme - Q3", months_open=7)
EMPTY = QuestionContext()

CLOSED_OR_PUSHY_START = re.compile(
    r"^(can we|could we|shall we|will you|would you like|are you ready|is there any reason"
    r"|do you|does|did|is|are|have you|should)\b",
    re.IGNORECASE,
)
PUSHY_WORDS = (
    "discount",
    "deadline",
    "sign today",
    "limited time",
    "special offer",
    "price",
    "close the deal",
    "commit",
)


def _texts(q: Question) -> list[str]:
    """Every way the question can reach a buyer."""
    return [render(q, FULL), render(q, EMPTY), q.text, *([q.fallback] if q.fallback else [])]


def _one(pattern: str, **fields: str) -> str:
    body = "".join(f'{k} = "{v}"\n' for k, v in fields.items())
    return f'[[question]]\nid = "x-01"\npattern = "{pattern}"\nstep = "notice"\n{body}'


# ------------------------------------------------------------------ lint over the bank


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.id)
def test_every_question_ends_with_a_question_mark(q: Question) -> None:
    """A facilitation question is a question."""
    assert all(t.endswith("?") for t in _texts(q))


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.id)
def test_no_question_opens_closed_or_pushy(q: Question) -> None:
    """Questions are open: no yes/no or closing openers."""
    for text in _texts(q):
        opener = re.sub(r"^\{first_name\}, ", "", text)
        opener = re.sub(r"^Dana, ", "", opener)
        assert not CLOSED_OR_PUSHY_START.match(opener), text


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.id)
def test_no_question_mentions_pushy_terms(q: Question) -> None:
    """Questions never talk discounts, deadlines, prices or closing."""
    for text in _texts(q):
        lowered = text.lower()
        assert not [w for w in PUSHY_WORDS if w in lowered], text


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.id)
def test_every_question_has_a_one_line_why(q: Question) -> None:
    """Each question explains to the rep, in one line, why it helps the buyer."""
    assert q.why and "\n" not in q.why and len(q.why) <= 120


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_pattern_has_at_least_eight_questions(pattern: str) -> None:
    """Every pattern has enough questions to rotate."""
    assert len(BANK.for_pattern(pattern)) >= 8


def test_question_ids_are_unique() -> None:
    """No two questions share an id."""
    ids = [q.id for q in ALL]
    assert len(ids) == len(set(ids))


def test_every_question_maps_to_a_known_step() -> None:
    """Each question names the buying step it helps with."""
    assert {q.step for q in ALL} <= set(STEPS)


@pytest.mark.parametrize("q", ALL, ids=lambda q: q.id)
def test_every_placeholder_renders(q: Question) -> None:
    """Rendered with or without values, no braces, "None" or dangling commas remain."""
    for text in (render(q, FULL), render(q, EMPTY)):
        assert "{" not in text and "}" not in text and "None" not in text
        assert not re.search(r",\s*[,?]|\s[,?]|^,|\s\s", text), text
        assert text[0].isupper()


def test_known_values_appear_in_the_text() -> None:
    """Filled-in questions carry the buyer's name, account and months open."""
    rendered = [render(q, FULL) for q in ALL]
    assert any(t.startswith("Dana, ") for t in rendered)
    assert any("Acme Corp" in t for t in rendered)
    assert any("7 months" in t for t in rendered)


def test_missing_first_name_drops_the_greeting() -> None:
    """ "{first_name}, how..." becomes "How..." without a name."""
    q = Question("t-01", PATTERNS[0], "notice", "{first_name}, how is it going?", "why")
    assert render(q, EMPTY) == "How is it going?"
    assert render(q, QuestionContext(first_name="None")) == "How is it going?"


def test_missing_value_uses_the_fallback() -> None:
    """A missing account switches to the fallback phrasing."""
    q = Question("t-01", PATTERNS[0], "people", "Who at {account} decides?", "w", "Who decides?")
    assert render(q, QuestionContext(first_name="Dana")) == "Who decides?"
    assert render(q, QuestionContext(account="Acme")) == "Who at Acme decides?"


def test_deal_placeholder_renders() -> None:
    """{deal} is filled like any other placeholder."""
    q = Question("t-01", PATTERNS[0], "notice", "How is {deal} going?", "w", "How is it going?")
    assert render(q, QuestionContext(deal="Rollout")) == "How is Rollout going?"


def test_one_month_reads_as_missing() -> None:
    """months_open below two uses the fallback rather than "1 months"."""
    q = Question("t-01", PATTERNS[0], "notice", "After {months_open}, what?", "w", "What now?")
    assert render(q, QuestionContext(months_open=1)) == "What now?"
    assert render(q, QuestionContext(months_open=3)) == "After 3 months, what?"


# ------------------------------------------------------------------ rotation


@pytest.mark.parametrize("pattern", PATTERNS)
def test_rotation_never_repeats_until_exhausted(pattern: str) -> None:
    """Picking one at a time shows every question once before any repeats."""
    shown: list[str] = []
    for _ in BANK.for_pattern(pattern):
        (q,) = BANK.pick(pattern, shown, seed="deal-42")
        assert q.id not in shown
        shown.append(q.id)
    assert len(set(shown)) == len(BANK.for_pattern(pattern))


def test_rotation_restarts_with_the_least_recently_shown() -> None:
    """Once all are shown, the oldest shown comes back first."""
    pattern = PATTERNS[0]
    shown = [q.id for q in BANK.for_pattern(pattern)]
    assert BANK.pick(pattern, shown, seed="d")[0].id == shown[0]
    assert BANK.pick(pattern, shown[1:] + shown[:1], seed="d")[0].id == shown[1]


def test_pick_is_deterministic_per_seed() -> None:
    """The same deal gets the same questions every time."""
    assert BANK.pick(PATTERNS[1], [], 2, seed="006A") == BANK.pick(PATTERNS[1], [], 2, "006A")


def test_different_deals_get_different_first_picks() -> None:
    """Across deals the first question varies."""
    firsts = {BANK.pick(PATTERNS[0], [], seed=f"deal-{i}")[0].id for i in range(30)}
    assert len(firsts) >= 4


def test_pick_returns_distinct_questions() -> None:
    """Asking for several returns distinct questions, capped at the pattern size."""
    picked = BANK.pick(PATTERNS[2], [], count=50, seed="x")
    assert len(picked) == len({q.id for q in picked}) == len(BANK.for_pattern(PATTERNS[2]))


def test_weights_rank_questions_that_worked_first() -> None:
    """A weighted question comes first for every deal."""
    best = BANK.for_pattern(PATTERNS[3])[-1].id
    for i in range(10):
        assert BANK.pick(PATTERNS[3], [], seed=str(i), weights={best: 2.0})[0].id == best


def test_unknown_pattern_fails() -> None:
    """Asking for an unknown pattern code raises ValueError."""
    with pytest.raises(ValueError, match="no-such-pattern"):
        BANK.pick("no-such-pattern", [])


# ------------------------------------------------------------------ validation


def test_default_bank_is_a_question_bank() -> None:
    """load_questions() with no text loads the packaged bank."""
    assert isinstance(BANK, QuestionBank) and len(ALL) >= 80


def test_unknown_pattern_code_in_bank_fails_naming_it() -> None:
    """A question for an unknown pattern is rejected by name."""
    with pytest.raises(ValueError, match="lunch-mode"):
        load_questions(_one("lunch-mode", text="How?", why="w"))


def test_duplicate_ids_fail_naming_them() -> None:
    """Two questions with the same id are rejected by id."""
    one = _one(PATTERNS[0], text="How?", why="w")
    with pytest.raises(ValueError, match="x-01"):
        load_questions(one + "\n" + one)


def test_unknown_placeholder_fails_naming_it() -> None:
    """A placeholder outside the known set is rejected by name."""
    with pytest.raises(ValueError, match="company"):
        load_questions(_one(PATTERNS[0], text="How is {company}?", why="w", fallback="How?"))


def test_placeholder_without_fallback_fails() -> None:
    """A body placeholder needs a fallback phrasing."""
    with pytest.raises(ValueError, match="fallback"):
        load_questions(_one(PATTERNS[0], text="Who at {account} decides?", why="w"))


def test_unknown_step_fails() -> None:
    """A question must name a known buying step."""
    text = _one(PATTERNS[0], text="How?", why="w").replace('"notice"', '"closing"')
    with pytest.raises(ValueError, match="closing"):
        load_questions(text)


def test_a_question_asked_without_success_is_not_preferred() -> None:
    """Weight 1.0 (asked, deal did not move) ranks like a question never asked."""
    pattern = PATTERNS[3]
    ids = [q.id for q in BANK.for_pattern(pattern)]
    for i in range(20):
        plain = BANK.pick(pattern, [], seed=str(i))[0].id
        assert BANK.pick(pattern, [], seed=str(i), weights={q: 1.0 for q in ids[:3]})[0].id == plain
