"""Charts as inline SVG drawn on the server: no script, no library, readable without them.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`
(which states the figures in words); the page shows the same data as a table next to it.
Colours come with text (legend, numbers on the bars), never alone, and have at least
3:1 contrast on white (WCAG 2.1, 1.4.11). Only presentation attributes are used, so the
strict content security policy (no inline style) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = "system-ui, sans-serif"
TEXT = "#1d1d1b"
GRID = "#6b6b6b"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    text_colour: str = "#ffffff"


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graphique" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc">'
        f'<title id="{chart_id}-titre">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 (every text is escaped)


def _text(x: float, y: float, value: str, anchor: str = "start", fill: str = TEXT) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="13" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(value)}</text>'
    )


def stacked_bars(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
) -> Markup:
    """Horizontal bars, one per row, split into `series` (counts); a legend on top."""
    label_width, bar_width, row_height, top = 150, 420, 30, 40
    width = label_width + bar_width + 20
    height = top + row_height * max(len(rows), 1) + 10
    body: list[str] = []
    x = float(label_width)
    for item in series:
        body.append(f'<rect x="{x:.1f}" y="8" width="14" height="14" fill="{item.colour}"></rect>')
        body.append(_text(x + 20, 20, item.label))
        x += 20 + 8 * len(item.label) + 24
    for index, (label, counts) in enumerate(rows):
        y = top + index * row_height
        body.append(_text(label_width - 8, y + 19, label, "end"))
        total = sum(counts)
        offset = float(label_width)
        for count, item in zip(counts, series, strict=True):
            if not total or not count:
                continue
            span = bar_width * count / total
            body.append(
                f'<rect x="{offset:.1f}" y="{y + 4}" width="{span:.1f}" height="{row_height - 8}" '
                f'fill="{item.colour}"></rect>'
            )
            if span >= 24:
                body.append(
                    _text(offset + span / 2, y + 19, str(count), "middle", item.text_colour)
                )
            offset += span
        if not total:
            body.append(_text(label_width, y + 19, "—"))
    return _svg(chart_id, width, height, title, desc, body)


def histogram(
    chart_id: str, title: str, desc: str, bins: Sequence[tuple[str, int]], colour: str
) -> Markup:
    """Vertical bars, one per bin, with its count above and its label below."""
    left, plot_height, bar_gap, bar_width, top = 30, 160, 6, 48, 20
    width = left + len(bins) * (bar_width + bar_gap) + 10
    height = top + plot_height + 40
    highest = max((count for _, count in bins), default=0) or 1
    baseline = top + plot_height
    body = [
        f'<line x1="{left}" y1="{baseline}" x2="{width - 10}" y2="{baseline}" '
        f'stroke="{GRID}" stroke-width="1"></line>'
    ]
    for index, (label, count) in enumerate(bins):
        x = left + index * (bar_width + bar_gap)
        bar = plot_height * count / highest
        if count:
            body.append(
                f'<rect x="{x}" y="{baseline - bar:.1f}" width="{bar_width}" height="{bar:.1f}" '
                f'fill="{colour}"></rect>'
            )
        body.append(_text(x + bar_width / 2, baseline - bar - 5, str(count), "middle"))
        body.append(_text(x + bar_width / 2, baseline + 18, label, "middle"))
    return _svg(chart_id, width, height, title, desc, body)
