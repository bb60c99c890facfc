"""Finding deals by name: exact, contains, fuzzy suggestions, and never outside the scope."""

from __future__ import annotations

from bot.analysis.search import DealIndex
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


def _similarity(a: str, b: str) -> float:
    """2 * longest common subsequence / total length, in percent: the ranking suggestions
    promise, computed here the slow way to check the fast one."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        row = [0]
        for j, cb in enumerate(b):
            row.append(prev[j] + 1 if ca == cb else max(prev[j + 1], row[j]))
        prev = row
    return 200.0 * prev[-1] / (len(a) + len(b))


def test_suggestions_come_only_from_the_callers_deals_at_every_scope_size() -> None:
    """A rep's few deals, a big team's and an admin's: each gets the closest names it may
    see, most similar first, and never one it may not."""
    from bot.analysis.search import SUGGESTION_CUTOFF, normalise

    crowd = [
        Deal(f"X{i}", f"Harbor {i:05d} - Renewal", f"Harbor {i:05d}", f"o{i % 2}")
        for i in range(10_002)
    ]
    index = DealIndex([*crowd, *DEALS])
    query = "Belweathr Fods"
    rep = index.search(query, ["o1"])  # "o1" owns Bellweather and half the crowd
    assert rep.suggestions[0] == "Bellweather Foods"
    near = "Crestlin Manufactring"
    mine = index.search(near, ["o3", "o2"])  # a few deals
    labels = {normalise(t): t for d in DEALS if d.owner_id in ("o2", "o3")
              for t in (d.name, d.account)}  # fmt: skip
    scored = sorted(
        ((s, label) for label in labels if (s := _similarity(normalise(near), label)) >= 50),
        key=lambda sl: -sl[0],
    )
    assert SUGGESTION_CUTOFF == 50
    assert len(mine.suggestions) == min(3, len(scored)) >= 2
    assert [round(_similarity(normalise(near), normalise(s)), 6) for s in mine.suggestions] == [
        round(s, 6) for s, _ in scored[: len(mine.suggestions)]
    ]
    assert not any("Bellweather" in s for s in index.search(query, ["o3", "o2"]).suggestions)
    assert not any("Bellweather" in s for s in index.search(query, ["o0"]).suggestions)
    assert "Bellweather Foods" in index.search(query).suggestions  # an admin
