"""What an export's file is called: the webinar's day and its title, as a person files notes
(`2026-12-02-convention-citoyenne-rouen.md`), in plain ASCII so that every system, mail client
and shell takes the name as it is. Pure: data in, text out."""

from __future__ import annotations

import re
import unicodedata

from exports.document import PadDocument
from exports.human_time import local

MAX_TITLE_CHARS = 60
"""The title's part of a name: past it, the name is cut at a word."""
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def export_stem(doc: PadDocument) -> str:
    """The file name without its extension: the day of the webinar (its start, else its end,
    on the pad's wall clock) then the title's words; `skrid-{id}` stands for a title with no
    letter or digit left."""
    words = _slug(doc.title)
    moment = doc.starts_at or doc.ends_at
    day = local(moment, doc.timezone).date().isoformat() if moment else ""
    return "-".join(part for part in (day, words or f"skrid-{doc.id}") if part)


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_NAME.sub("-", ascii_title.lower()).strip("-")
    if len(slug) <= MAX_TITLE_CHARS:
        return slug
    return slug[:MAX_TITLE_CHARS].rsplit("-", 1)[0]
