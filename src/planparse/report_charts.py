"""Inline SVG charts of the HTML report: horizontal bars, stacked bars, a heatmap grid.

Plain SVG strings, no library and no script, so the page works offline and a test can
count the marks in the DOM: every bar is ``rect.bar``, every heatmap cell ``rect.cell``,
each with its number in ``data-value`` and a ``<title>`` tooltip.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

# One colour per category, in the contract's order (colour-blind-safe Tableau 10 + two greys).
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
           "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#8c8c8c")
FONT = 12
ROW = 22
LABEL_WIDTH = 150
BAR_WIDTH = 420


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    extra = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{FONT}" text-anchor="{anchor}" '
            f'dominant-baseline="middle"{extra}>{escape(text)}</text>')


def _svg_open(kind: str, chart_id: str, label: str, width: float, height: float) -> str:
    return (f'<svg class="chart {kind}" id="{escape(chart_id)}" role="img" aria-label="{escape(label)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">')


def bar_chart(items: Sequence[tuple[str, int]], chart_id: str, colors: Sequence[str] | None = None,
              label: str = "") -> str:
    """One horizontal bar per (label, value), longest value full width."""
    top = max((v for _, v in items), default=0) or 1
    height = ROW * max(len(items), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [_svg_open("bars", chart_id, label, width, height)]
    for n, (name, value) in enumerate(items):
        y = 4 + n * ROW
        w = max(BAR_WIDTH * value / top, 1 if value else 0)
        color = (colors[n % len(colors)] if colors else PALETTE[0])
        parts.append(_text(LABEL_WIDTH - 6, y + ROW / 2, name, "end", "label"))
        parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" '
                     f'fill="{color}" data-label="{escape(name)}" data-value="{value}">'
                     f'<title>{escape(name)}: {value}</title></rect>')
        parts.append(_text(LABEL_WIDTH + w + 4, y + ROW / 2, str(value), cls="value"))
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], chart_id: str,
                 colors: Sequence[str], label: str = "") -> str:
    """One 100% bar per row, a segment per (segment label, value); the total at the end."""
    height = ROW * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [_svg_open("stacked", chart_id, label, width, height)]
    for n, (name, segments) in enumerate(rows):
        y = 4 + n * ROW
        total = sum(v for _, v in segments) or 1
        x = float(LABEL_WIDTH)
        parts.append(_text(LABEL_WIDTH - 6, y + ROW / 2, name, "end", "label"))
        for k, (seg, value) in enumerate(segments):
            if not value:
                continue
            w = BAR_WIDTH * value / total
            parts.append(f'<rect class="bar seg" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}" '
                         f'fill="{colors[k % len(colors)]}" data-row="{escape(name)}" data-label="{escape(seg)}" '
                         f'data-value="{value}"><title>{escape(name)} · {escape(seg)}: {value} '
                         f'({100 * value / total:.0f}%)</title></rect>')
            x += w
        parts.append(_text(LABEL_WIDTH + BAR_WIDTH + 4, y + ROW / 2, str(sum(v for _, v in segments)), cls="value"))
    parts.append("</svg>")
    return "".join(parts)


def _shade(value: int, top: int) -> str:
    """White to the first palette blue, by value / top."""
    if not value:
        return "#f4f5f7"
    t = 0.15 + 0.85 * value / (top or 1)
    r, g, b = (int(255 + (c - 255) * t) for c in (0x2b, 0x59, 0x8f))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(row_labels: Sequence[str], col_labels: Sequence[str], values: Sequence[Sequence[int]],
            chart_id: str, label: str = "") -> str:
    """A grid of ``rect.cell``, one per (row, column), shaded by its count (printed in it)."""
    cell_w, cell_h = 44, 24
    left, top_margin = LABEL_WIDTH, 26
    width = left + cell_w * len(col_labels) + 8
    height = top_margin + cell_h * max(len(row_labels), 1) + 8
    top = max((v for row in values for v in row), default=0)
    parts = [_svg_open("heatmap", chart_id, label, width, height)]
    for c, name in enumerate(col_labels):
        parts.append(_text(left + c * cell_w + cell_w / 2, top_margin / 2, name, "middle", "col"))
    for r, row_name in enumerate(row_labels):
        y = top_margin + r * cell_h
        parts.append(_text(left - 6, y + cell_h / 2, row_name, "end", "label"))
        for c, value in enumerate(values[r]):
            x = left + c * cell_w
            parts.append(f'<rect class="cell" x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                         f'fill="{_shade(value, top)}" data-row="{escape(row_name)}" '
                         f'data-col="{escape(col_labels[c])}" data-value="{value}">'
                         f'<title>{escape(row_name)} · {escape(col_labels[c])}: {value}</title></rect>')
            if value:
                ink = "#ffffff" if value > top * 0.55 else "#1f2328"
                parts.append(f'<text x="{x + (cell_w - 2) / 2:.1f}" y="{y + (cell_h - 2) / 2:.1f}" font-size="11" '
                             f'text-anchor="middle" dominant-baseline="middle" fill="{ink}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
