"""The archive's activity picture of a pad: a small inline SVG, `activity_svg`.

It shows edits per minute as bars, and how many people wrote. `exports.site` puts it in each pad
page of the public archive, served by the server and written by `skrid publish` alike.

It is drawn from counts only (the server records them while the pad is live, since the update
log is gone after the purge): no name, no text, nothing that could point at a person. The SVG
carries no script, no style sheet and no external reference, only presentation attributes, so
it shows the same inline in a page with a strict Content-Security-Policy or as a file, and the
same counts always give the same bytes. Its `activity` and `bar` classes let the archive's
style sheet give it the page's colours.
"""

from __future__ import annotations

import math
from html import escape

from exports.archive.text import counted, texts

MAX_BARS = 120
"""Longer meetings are drawn with several minutes per bar, so bars stay wide enough to see."""

WIDTH = 400
HEIGHT = 150
TOP = 34
"""Where the bars may start: above is the line saying how many people wrote."""
BASELINE = 126
BAR_GAP = 0.15
"""Share of each bar's slot left empty, so that neighbouring bars stay apart."""
MIN_BAR = 1.0
"""Height of a bar with few edits next to a busy minute, so it still shows."""
FONT_SIZE = 15
BAR_COLOUR = "#2f6690"
TEXT_COLOUR = "#333333"
AXIS_COLOUR = "#999999"


def activity_svg(
    edits_per_minute: list[int], contributors: int, *, lang: str = "fr", max_bars: int = MAX_BARS
) -> str:
    """The picture: one bar per minute (per group of minutes past `max_bars`), a caption with
    the number of people who wrote, and a `<title>`/`<desc>` that say the same for screen
    readers. No caption when none is known (0: nobody wrote under a name): never a wrong one."""
    if max_bars < 1:
        raise ValueError("max_bars must be at least 1")
    if contributors < 0 or any(edits < 0 for edits in edits_per_minute):
        raise ValueError("counts cannot be negative")
    words = texts(lang)
    minutes = len(edits_per_minute)
    per_bar = max(1, math.ceil(minutes / max_bars))
    bars = [sum(edits_per_minute[start : start + per_bar]) for start in range(0, minutes, per_bar)]
    total = sum(bars)
    people = counted(lang, "contributors", contributors) if contributors else ""
    summary = words["activity_desc" if people else "activity_desc_alone"].format(
        edits=counted(lang, "edits", total), minutes=minutes, contributors=people
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="activity" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'role="img" aria-labelledby="activity-title activity-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="activity-title">{escape(words["activity_title"])}</title>',
        f'<desc id="activity-desc">{escape(summary)}</desc>',
    ]
    if people:
        parts.append(f'<text x="0" y="{FONT_SIZE + 2}">{escape(people)}</text>')
    if total:
        if per_bar > 1:
            note = words["activity_bucket"].format(minutes=per_bar)
            parts.append(
                f'<text x="{WIDTH}" y="{FONT_SIZE + 2}" text-anchor="end">{escape(note)}</text>'
            )
        parts.extend(_bars(bars, per_bar, lang))
        parts.append(_axis(minutes))
    else:
        parts.append(
            f'<text x="{WIDTH / 2:g}" y="{(TOP + BASELINE) / 2:g}" text-anchor="middle">'
            f"{escape(words['activity_empty'])}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _bars(bars: list[int], per_bar: int, lang: str) -> list[str]:
    """A `rect` per bar, each with its own `<title>` (the minutes it covers, its edits)."""
    words = texts(lang)
    slot = WIDTH / len(bars)
    width = slot * (1 - BAR_GAP) if len(bars) > 1 else slot / 4
    tallest = max(bars)
    drawn = []
    for index, edits in enumerate(bars):
        height = (BASELINE - TOP) * edits / tallest
        if edits:
            height = max(height, MIN_BAR)
        x = index * slot + (slot - width) / 2
        label = words["bar"].format(
            start=index * per_bar,
            end=(index + 1) * per_bar,
            edits=counted(lang, "edits", edits),
        )
        drawn.append(
            f'<rect class="bar" x="{x:.2f}" y="{BASELINE - height:.2f}" width="{width:.2f}" '
            f'height="{height:.2f}" fill="{BAR_COLOUR}"><title>{escape(label)}</title></rect>'
        )
    return drawn


def _axis(minutes: int) -> str:
    """The baseline, with the meeting's first and last minute under its ends."""
    label_y = BASELINE + FONT_SIZE + 4
    return (
        f'<line x1="0" y1="{BASELINE}" x2="{WIDTH}" y2="{BASELINE}" stroke="{AXIS_COLOUR}"/>\n'
        f'<text x="0" y="{label_y}">0 min</text>\n'
        f'<text x="{WIDTH}" y="{label_y}" text-anchor="end">{minutes} min</text>'
    )
