"""The anonymiser: find e-mail addresses, phone numbers and names, and remove them for good.

Pure code, no I/O: text in, text out; a pycrdt Doc in, the same Doc redacted in place.
"""

from anonymizer.awareness import redact_awareness_state
from anonymizer.contacts import consented_contacts, harvest_contacts
from anonymizer.document import redact_doc
from anonymizer.findings import Confidence, Finding, Kind, Markers, count
from anonymizer.names import NamesPlan, find_names, names_plan, redact_names
from anonymizer.text import find, redact, redact_findings

__all__ = [
    "Confidence",
    "Finding",
    "Kind",
    "Markers",
    "NamesPlan",
    "consented_contacts",
    "count",
    "find",
    "find_names",
    "harvest_contacts",
    "names_plan",
    "redact",
    "redact_awareness_state",
    "redact_doc",
    "redact_findings",
    "redact_names",
]
