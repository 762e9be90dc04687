"""A pad's document as the exports see it, with the purge's last gate.

Every export, archive page and static site of a purged or published pad is built from a copy
of its Doc that went through the anonymiser once more: if anything slipped past the purge (a
bug, a file restored from a backup), it is removed from what leaves the server, and counted in
the log (never shown).
"""

from __future__ import annotations

import logging

from pycrdt import Doc

from anonymizer import Markers, redact_doc
from exports import PadDocument, document_from_ydoc

from .lifecycle import BEFORE_PURGE
from .store import PadRecord

log = logging.getLogger("skrid.documents")


def gated_doc(pad: PadRecord, doc: Doc, markers: Markers) -> Doc:
    if pad.state in BEFORE_PURGE:
        return doc
    copy = Doc()
    copy.apply_update(doc.get_update())
    found = redact_doc(copy, markers)
    if any(found.values()):
        log.warning("pad %s: the export gate removed %s after the purge", pad.id, found)
    return copy


def pad_document(pad: PadRecord, doc: Doc, markers: Markers) -> PadDocument:
    return document_from_ydoc(
        gated_doc(pad, doc, markers),
        id=pad.id,
        title=pad.title,
        starts_at=pad.starts_at,
        ends_at=pad.ends_at,
        state=pad.state,
        purge_counts=pad.purge_counts,
    )
