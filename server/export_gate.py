"""A pad's document as the exports see it, through the `before_export` hooks, and the purge's
last gate, which the server installs there.

Every export (`.yjs` included), archive page and static site of a pad whose purge has begun is
built from the document the purge makes of it (`anonymizer.purged`), once more: if anything
slipped past the purge (a bug, a file restored from a backup), it is removed from what leaves
the server, structure included, and counted in the log (never shown).
"""

from __future__ import annotations

import logging

from pycrdt import Doc

from anonymizer import Markers
from anonymizer.purged import purged_doc
from exports import PadDocument, document_from_ydoc

from .errors import Conflict
from .hooks import Hooks
from .lifecycle import BEFORE_PURGE
from .settings import MAX_NESTING_DEPTH
from .store import PadRecord

log = logging.getLogger("skrid.export_gate")


def export_gate(pad: PadRecord, doc: Doc, markers: Markers) -> Doc:
    """A `before_export` hook: the document as it may leave the server. The gate walks as deep
    as any setting lets an update nest (what the door let in, it reads whole)."""
    if pad.state in BEFORE_PURGE:
        return doc
    if pad.purged_at is None:
        raise Conflict("the purge of this pad is under way: its exports wait for it")
    copy, found = purged_doc(doc, markers, MAX_NESTING_DEPTH)
    if any(found.values()):
        log.warning("pad %s: the export gate removed %s after the purge", pad.id, found)
    return copy


def pad_document(pad: PadRecord, doc: Doc, hooks: Hooks, timezone: str) -> PadDocument:
    """The pad as it may leave the server, its times to be read in `timezone`."""
    return document_from_ydoc(
        hooks.exported(pad, doc),
        id=pad.id,
        title=pad.title,
        starts_at=pad.starts_at,
        ends_at=pad.ends_at,
        state=pad.state,
        purge_counts=pad.purge_counts,
        timezone=timezone,
    )
