"""The digest's chart: flagged deals and their value per pattern, as a small PNG.

matplotlib is imported inside ``digest_chart`` (it takes a noticeable time to import and
most commands never draw), and only its object-oriented API is used: a ``Figure`` with its
own ``FigureCanvasAgg``, never pyplot's global state, so jobs on threads can draw. The Agg
renderer shares font caches between figures, so drawing is serialised by one lock.

The chart shows pattern titles and numbers only, no CRM text, so it suits channels too.
"""

from __future__ import annotations

import io
import threading

from bot.analysis.digest import Digest, PatternLine
from bot.reports.format import money

__all__ = ["digest_chart"]

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.0, 100  # 800 x 400 pixels
_COUNT_COLOUR = "#3b6ea5"
_VALUE_COLOUR = "#d08c2e"
_PREVIOUS_COLOUR = "#222222"
_DRAW_LOCK = threading.Lock()


def digest_chart(d: Digest) -> bytes | None:
    """A PNG of flagged deals (with last digest's count as a marker) and value per pattern;
    None when no pattern has a flagged deal."""
    rows = [p for p in d.patterns if p.deals or p.previous]
    if not any(p.deals for p in rows):
        return None
    rows.sort(key=lambda p: (p.deals, p.value))  # barh draws bottom-up: biggest on top
    with _DRAW_LOCK:
        return _draw(d, rows)


def _draw(d: Digest, rows: list[PatternLine]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    symbol = _symbol(d.currency)
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    count_ax, value_ax = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 1]})
    ys = list(range(len(rows)))
    labels = [p.title for p in rows]

    count_ax.barh(ys, [p.deals for p in rows], color=_COUNT_COLOUR, height=0.6)
    previous = [(y, p.previous) for y, p in zip(ys, rows, strict=True) if p.previous]
    if previous:
        count_ax.scatter(
            [n for _, n in previous],
            [y for y, _ in previous],
            marker="|",
            s=220,
            linewidths=2,
            color=_PREVIOUS_COLOUR,
            label="last digest",
            zorder=3,
        )
        count_ax.legend(loc="lower right", fontsize=8, frameon=False)
    count_ax.set_yticks(ys, labels=labels, fontsize=9)
    count_ax.set_title("Flagged deals", fontsize=10)
    count_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    top = max(max(p.deals for p in rows), max((n for _, n in previous), default=0))
    count_ax.set_xlim(0, top * 1.2 + 0.5)
    for y, p in zip(ys, rows, strict=True):
        if p.deals:
            count_ax.text(p.deals, y, f" {p.deals}", va="center", fontsize=8, parse_math=False)

    values = [p.value for p in rows]
    value_ax.barh(ys, values, color=_VALUE_COLOUR, height=0.6)
    value_ax.set_title("Their value", fontsize=10)
    value_ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _tex(_compact(x, symbol))))
    value_ax.xaxis.set_major_locator(MaxNLocator(4))
    value_ax.set_xlim(0, max(values) * 1.3 or 1.0)
    for y, v in zip(ys, values, strict=True):
        if v:
            value_ax.text(
                v, y, " " + _compact(v, symbol), va="center", fontsize=8, parse_math=False
            )

    for ax in (count_ax, value_ax):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    share = f"{d.value_share:.0%} of open value" if d.value_share is not None else ""
    title = (
        f"Waiting for the buyer: {d.flagged_deals} deals, "
        f"{_compact(d.flagged_value, symbol)}" + (f" ({share})" if share else "")
    )
    fig.suptitle(title, fontsize=11, parse_math=False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _symbol(currency: str) -> str:
    """The currency prefix ``money`` uses ("$", "€", "CHF ")."""
    code = currency if len(currency) == 3 and currency.isalpha() else ""
    return money(0.0, code).removesuffix("0")


def _compact(value: float, symbol: str) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{symbol}{value / size:.3g}{suffix}"
    return f"{symbol}{value:,.0f}"


def _tex(text: str) -> str:
    """Tick labels go through mathtext when they hold two ``$``: escape them."""
    return text.replace("$", r"\$")
