"""Small, accessible SVG charts drawn on the server: horizontal bars, lines over time and a funnel.

Every chart is an `<svg role="img">` with a `<title>` and a `<desc>` (read by screen readers), a `<title>` on each
mark (the exact number on hover), and the font stack that covers every script of the content (Latin, Cyrillic,
Devanagari, Arabic and Persian, Chinese), so the same SVG renders in the browser and in the PDF. Pages put the
data table and a CSV link beside each chart. Right-to-left pages get mirrored bar charts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cityexchange.core import locale_format

from .selectors import Figure, Number

FONT_STACK = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Devanagari', 'Noto Sans CJK SC', sans-serif"
PALETTE = ("#1f6f8b", "#d9822b", "#3c8d5a", "#8e44ad", "#c0392b")
LABEL_CHARS = 30


def fmt(value: Number) -> str:
    """A figure as the reader's locale writes it (grouping, decimal sign, digits)."""
    if isinstance(value, float) and not value.is_integer():
        return locale_format.number(value, 2)
    return locale_format.number(int(value))


def short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(fig: Figure, width: int, height: int, css: str) -> list[str]:
    tid, did = f"chart-{fig.slug}-title", f"chart-{fig.slug}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{tid} {did}" '
        # Geometry is laid out here; `direction="ltr"` stops an RTL page from flipping every text anchor (labels
        # that must read right to left say so themselves, and the bidi algorithm still orders Arabic words).
        f'font-family="{FONT_STACK}" font-size="13" direction="ltr" data-chart="{escape(fig.slug)}">',
        f'<title id="{tid}">{escape(fig.title)}</title>',
        f'<desc id="{did}">{escape(describe(fig))}</desc>',
    ]


def describe(fig: Figure) -> str:
    """A one-sentence text version of the chart for screen readers."""
    if not fig.rows:
        return fig.note or _("No data yet.")
    parts = [f"{r.label}: {', '.join(fmt(v) for v in r.values)}" for r in fig.rows[:20]]
    more = len(fig.rows) - 20
    text = "; ".join(parts)
    if more > 0:
        text += " " + _("(and %(n)s more rows in the table)") % {"n": more}
    return f"{fig.description} {text}".strip()


def empty(fig: Figure, width: int = 640) -> SafeString:
    out = _open(fig, width, 60, "empty")
    out.append(f'<text x="{width // 2}" y="35" text-anchor="middle" fill="#5b6675">')
    out.append(escape(fig.note or _("No data yet.")) + "</text></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above


def bar_chart(fig: Figure, *, column: int = 0, rtl: bool = False, limit: int = 25, width: int = 640) -> SafeString:
    rows = [r for r in fig.rows][:limit]
    if not rows:
        return empty(fig, width)
    row_h, top, label_w, value_w = 24, 8, 210, 70
    height = top * 2 + row_h * len(rows)
    bar_space = width - label_w - value_w
    peak = max(max((r.values[column] for r in rows), default=0), 1)
    out = _open(fig, width, height, "bar")
    for i, row in enumerate(rows):
        value = row.values[column]
        y = top + i * row_h
        w = max(bar_space * value / peak, 0.0 if value == 0 else 1.5)
        if rtl:  # labels on the right, read right to left; bars grow leftwards
            label_x, anchor, direction = width - 6.0, "start", ' direction="rtl"'
            bar_x = width - label_w - w
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, anchor, direction = label_w - 8.0, "end", ""
            bar_x = float(label_w)
            value_x, value_anchor = bar_x + w + 6, "start"
        out.append(f'<g class="mark"><title>{escape(row.label)}: {fmt(value)}</title>')
        out.append(
            f'<text x="{label_x:.1f}" y="{y + 16}" text-anchor="{anchor}"{direction}>{escape(short(row.label))}</text>'
        )
        out.append(
            f'<rect x="{bar_x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{PALETTE[0]}" rx="2"/>'
        )
        out.append(f'<text x="{value_x:.1f}" y="{y + 16}" text-anchor="{value_anchor}">{fmt(value)}</text></g>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above


def line_chart(
    fig: Figure, *, columns: Sequence[int] = (0,), rtl: bool = False, width: int = 640, height: int = 260
) -> SafeString:
    rows = list(fig.rows)
    if not rows:
        return empty(fig, width)
    left, right, top, bottom = 56, 16, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max((r.values[c] for r in rows for c in columns), default=0), 1)
    step = plot_w / max(len(rows) - 1, 1)

    def xy(i: int, v: Number) -> tuple[float, float]:
        x = left + (i * step if len(rows) > 1 else plot_w / 2)
        if rtl:
            x = width - x
        return x, top + plot_h - plot_h * v / peak

    out = _open(fig, width, height, "line")
    for k in range(5):  # horizontal grid with values
        v = peak * k / 4
        _x, y = xy(0, v)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde3"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{fmt(round(v))}</text>')
    every = max(1, len(rows) // 10)
    for i, row in enumerate(rows):
        if i % every == 0 or i == len(rows) - 1:
            x, _y = xy(i, 0)
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="11">'
                f"{escape(row.label)}</text>"
            )
    for n, c in enumerate(columns):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, r.values[c]) for i, r in enumerate(rows)))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, row in enumerate(rows):
            x, y = xy(i, row.values[c])
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>{escape(row.label)} · '
                f"{escape(fig.columns[c + 1])}: {fmt(row.values[c])}</title></circle>"
            )
        lx = left + n * 180
        out.append(
            f'<rect x="{lx}" y="{height - 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="{height - 8}">{escape(fig.columns[c + 1])}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above


def funnel_chart(fig: Figure, *, width: int = 640) -> SafeString:
    rows = list(fig.rows)
    if not rows:
        return empty(fig, width)
    row_h, top = 34, 8
    height = top * 2 + row_h * len(rows)
    peak = max(max(r.values[0] for r in rows), 1)
    centre = width / 2
    out = _open(fig, width, height, "funnel")
    for i, row in enumerate(rows):
        value = row.values[0]
        w = max((width - 40) * value / peak, 2.0)
        y = top + i * row_h
        shade = PALETTE[0] if value else "#c9d8df"
        out.append(f'<g class="mark"><title>{escape(row.label)}: {fmt(value)}</title>')
        out.append(
            f'<rect x="{centre - w / 2:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}" fill="{shade}" '
            f'opacity="{0.55 + 0.45 * (1 - i / max(len(rows), 1)):.2f}" rx="3"/>'
        )
        out.append(
            f'<text x="{centre}" y="{y + row_h / 2 + 5:.1f}" text-anchor="middle" fill="#1b2430">'
            f"{escape(short(row.label, 40))} · {fmt(value)}</text></g>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above


def number_panel(fig: Figure) -> SafeString:
    """The headline numbers as an SVG card (used in the report; pages show them as text too)."""
    rows = list(fig.rows)
    width, height = 640, 40 + 28 * len(rows)
    out = _open(fig, width, height, "numbers")
    for i, row in enumerate(rows):
        y = 30 + i * 28
        out.append(f'<text x="12" y="{y}">{escape(row.label)}</text>')
        out.append(
            f'<text x="{width - 12}" y="{y}" text-anchor="end" font-weight="700" fill="{PALETTE[0]}">'
            f"{fmt(row.values[0])}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above


def render(fig: Figure, *, rtl: bool = False) -> SafeString:
    """The chart that suits the figure."""
    if fig.kind == "line":
        return line_chart(fig, columns=(0, 1), rtl=rtl)
    if fig.kind == "funnel":
        return funnel_chart(fig)
    if fig.kind == "number":
        return number_panel(fig)
    return bar_chart(fig, rtl=rtl)
