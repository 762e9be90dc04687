"""The links index: every web link a pad cites, once, with the line that cites it.

The text is read line by line as typed, not as rendered (lines end at `\\n`, `\\r\\n` or
`\\r`, as in the editor), so a link counts wherever it appears: prose, Markdown links
`[texte](url)`, autolinks `<url>`, reference definitions, code. Which strings are links is
`urls.LinkFinder`'s rule; two citations are the same link when their `urls.normalise_url`
forms are equal, and the index shows that form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exports.urls import LinkFinder, normalise_url

CONTEXT_CHARS = 200
ELLIPSIS = "…"
LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class CitedLink:
    """One link of the index: `line` counts from 1, `context` is that line (or a window of it)."""

    url: str
    context: str
    line: int

    def as_dict(self) -> dict[str, str | int]:
        return {"url": self.url, "context": self.context, "line": self.line}


def cited_links(text: str, context_chars: int = CONTEXT_CHARS) -> list[CitedLink]:
    """Each link of `text` once, in order of first appearance.

    A context longer than `context_chars` characters becomes a window of that many characters
    around the link, with `…` marking each cut side.
    """
    finder = LinkFinder()
    seen: set[str] = set()
    found: list[CitedLink] = []
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        for match in finder.match(line) or []:
            url = normalise_url(match.url)
            if url in seen:
                continue
            seen.add(url)
            context = _context(line, match.index, match.last_index, context_chars)
            found.append(CitedLink(url=url, context=context, line=number))
    return found


def _context(line: str, start: int, end: int, limit: int) -> str:
    """The stripped line, or the `limit` characters centred on `line[start:end]`."""
    lead = len(line) - len(line.lstrip())
    stripped = line.strip()
    if len(stripped) <= limit:
        return stripped
    start, end = start - lead, end - lead
    slack = max(0, limit - (end - start))
    begin = min(max(0, start - slack // 2), len(stripped) - limit)
    window = stripped[begin : begin + limit]
    before = ELLIPSIS if begin > 0 else ""
    after = ELLIPSIS if begin + limit < len(stripped) else ""
    return before + window + after
