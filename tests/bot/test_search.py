"""Finding deals by name: exact, contains, fuzzy suggestions, and never outside the scope."""

from __future__ import annotations

from bot.search import DealIndex
from rules.model import Deal, DealStatus

DEALS = [
    Deal("006A", "Bellweather Foods - Analytics", "Bellweather Foods", "o1", amount=48_000),
    Deal("006B", "Crestline Manufacturing - Plant 2", "Crestline Manufacturing", "o2", amount=9e4),
    Deal("006C", "Crestline Manufacturing - HR", "Crestline Manufacturing", "o2", amount=120_000,
         status=DealStatus.WON),
    Deal("006D", "Lakeshore Credit Union - Expansion", "Lakeshore CU", "o2", amount=135_000),
    Deal("006E", "Secret Project Nightingale", "Nightingale Holdings", "o3", amount=1_000_000),
]  # fmt: skip
INDEX = DealIndex(DEALS)


def ids(result: object) -> list[str]:
    return [d.id for d in result.matches]  # type: ignore[attr-defined]


def test_exact_id_and_exact_name_win_alone() -> None:
    assert ids(INDEX.search("006d")) == ["006D"]
    assert ids(INDEX.search("crestline manufacturing   plant 2")) == ["006B"]


def test_contains_all_words_open_and_larger_first() -> None:
    assert ids(INDEX.search("crestline")) == ["006B", "006C"]  # the won deal last
    assert ids(INDEX.search("credit expansion")) == ["006D"]  # name and account words


def test_no_match_suggests_close_names() -> None:
    result = INDEX.search("Belweathr")
    assert result.matches == () and "Bellweather Foods" in result.suggestions


def test_scope_hides_other_owners_deals_even_from_suggestions() -> None:
    assert ids(INDEX.search("006E", ["o1", "o2"])) == []
    assert ids(INDEX.search("nightingale", ["o1", "o2"])) == []
    hidden = INDEX.search("Nightingal", ["o1", "o2"])
    assert not any("Nightingale" in s for s in hidden.suggestions)
    assert ids(INDEX.search("nightingale", ["o3"])) == ["006E"]
    assert ids(INDEX.search("nightingale", [])) == []


def test_empty_or_punctuation_only_query_matches_nothing() -> None:
    assert INDEX.search("  ").matches == () and INDEX.search("?!").matches == ()
