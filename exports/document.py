"""What every export is rendered from: a pad's metadata, its Markdown and its Yjs state.

Renderers take this snapshot rather than a live `pycrdt.Doc`, so that they stay pure and can run
in a worker thread while the room keeps editing. The text formats render the Markdown of the
Text `content`; any other shared type a client adds travels in `yjs_update`, which holds them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from markdown_it.token import Token
from pycrdt import Doc, Text

from anonymizer.document import SharedType
from exports.parser import markdown_tokens

CONTENT = "content"
DEFAULT_TIMEZONE = "Europe/Paris"
"""The shared `Y.Text` that holds the pad's Markdown."""


@dataclass(frozen=True)
class PadDocument:
    """One pad at one moment.

    `content` is the Markdown of the Text `content`; `yjs_update` the whole Yjs v1 state, every
    shared type included; `purge_counts` what the purge removed, by kind (`{"email": 3}`).
    """

    id: str
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    state: str
    content: str
    yjs_update: bytes
    purge_counts: dict[str, int] = field(default_factory=dict)
    timezone: str = DEFAULT_TIMEZONE
    """The IANA zone in which people read its times (the server's `timezone` setting)."""

    @cached_property
    def markdown(self) -> list[Token] | None:
        """The tokens of `content`, parsed on first need and kept with this snapshot, so that
        the formats of one ZIP share a parse (None when it nests too deep to format)."""
        return markdown_tokens(self.content)


def document_from_ydoc(
    ydoc: Doc[SharedType],
    *,
    id: str,
    title: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    state: str,
    purge_counts: dict[str, int] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> PadDocument:
    """Snapshot `ydoc`: the text of its `content` and its full state update."""
    return PadDocument(
        id=id,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        state=state,
        content=str(ydoc.get(CONTENT, type=Text)),
        yjs_update=ydoc.get_update(),
        purge_counts=dict(purge_counts or {}),
        timezone=timezone,
    )
