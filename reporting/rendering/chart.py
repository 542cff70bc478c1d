"""Small SVG bar charts: drawn here as markup, so the PDF and the admin show the same."""

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

BAR_COLOUR = "#1f6f8b"
TRACK_COLOUR = "#e8eef1"
TEXT_COLOUR = "#1b1f23"


def bar_chart(
    rows: Sequence[tuple[str, Decimal | float]],
    *,
    unit: str = "h",
    title: str,
    width: int = 640,
    label_width: int = 220,
    row_height: int = 26,
) -> str:
    """A horizontal bar per (label, value), longest first as given, with the value written
    beside each bar so the chart never relies on colour or length alone."""
    top = 8
    height = top + row_height * max(len(rows), 1) + 8
    peak = max((float(value) for _, value in rows), default=0) or 1.0
    track = width - label_width - 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append(
            f'<text x="0" y="{top + 16}" font-family="sans-serif" font-size="12" '
            f'fill="{TEXT_COLOUR}">No usage in this period.</text>'
        )
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        bar = max(1.0, track * float(value) / peak) if float(value) > 0 else 0
        shown = label if len(label) <= 32 else label[:31] + "…"
        parts += [
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-family="sans-serif" '
            f'font-size="11" fill="{TEXT_COLOUR}">{escape(shown)}</text>',
            f'<rect x="{label_width}" y="{y + 4}" width="{track}" height="16" '
            f'fill="{TRACK_COLOUR}"/>',
            f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="16" '
            f'fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + track + 6}" y="{y + 16}" font-family="sans-serif" '
            f'font-size="11" fill="{TEXT_COLOUR}">{escape(format_value(value))} {unit}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def format_value(value: Decimal | float) -> str:
    return f"{float(value):,.1f}" if isinstance(value, float) else f"{value:,}"


def column_chart(
    rows: Sequence[tuple[str, Decimal | float]],
    *,
    unit: str = "h",
    title: str,
    width: int = 640,
    height: int = 220,
) -> str:
    """Vertical columns per (label, value) in order (a trend), value printed above each."""
    bottom, top = height - 28, 18
    peak = max((float(value) for _, value in rows), default=0) or 1.0
    step = width / max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#8a959e"/>',
    ]
    for index, (label, value) in enumerate(rows):
        column = (bottom - top) * float(value) / peak
        x = index * step + step * 0.18
        parts += [
            f'<rect x="{x:.1f}" y="{bottom - column:.1f}" width="{step * 0.64:.1f}" '
            f'height="{column:.1f}" fill="{BAR_COLOUR}"/>',
            f'<text x="{x + step * 0.32:.1f}" y="{bottom - column - 4:.1f}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="10" fill="{TEXT_COLOUR}">'
            f"{escape(format_value(value))}</text>",
            f'<text x="{x + step * 0.32:.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="10" fill="{TEXT_COLOUR}">{escape(label)}</text>',
        ]
    parts.append(
        f'<text x="0" y="12" font-family="sans-serif" font-size="10" fill="{TEXT_COLOUR}">'
        f"{escape(unit)}</text></svg>"
    )
    return "".join(parts)
