"""The anonymiser: find e-mail addresses and phone numbers, and remove them for good.

Pure code, no I/O: text in, text out; a pycrdt Doc in, the same Doc redacted in place.
"""

from anonymizer.awareness import redact_awareness_state
from anonymizer.contacts import harvest_contacts
from anonymizer.document import redact_doc
from anonymizer.findings import Confidence, Finding, Kind, Markers, count
from anonymizer.text import find, redact, redact_findings

__all__ = [
    "Confidence",
    "Finding",
    "Kind",
    "Markers",
    "count",
    "find",
    "harvest_contacts",
    "redact",
    "redact_awareness_state",
    "redact_doc",
    "redact_findings",
]
