"""The value objects the anonymiser hands out: findings, the markers that replace them, counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["email", "phone", "name"]
KINDS: tuple[Kind, ...] = ("email", "phone")
"""The kinds `find` reports and `count` always lists; names come from `names`."""
Confidence = Literal["certain", "probable"]


@dataclass(frozen=True)
class Finding:
    """One address, phone number or name in a text.

    `start`/`end` are Python `str` indices (code points) into the text that was searched, so
    `text[start:end]` is exactly what a redaction removes. `value` is the normalised form: an
    e-mail address with its obfuscation, invisible characters and percent-encoding undone, its
    domain lowercased, in NFC (a fediverse address keeps its leading `@`); a phone number in
    E.164 (`+33612345678`); a name, the person's name as known (a list entry, a display name)
    or as found.

    `confidence` is `certain` for an address or number written plainly, `probable` for one
    rebuilt from blanks, line breaks, words, HTML references, encodings or obfuscations; a name
    is `certain` when known to the pad, `probable` when found in the text. A reviewer looks at
    the probable ones first. Redaction removes both alike.
    """

    kind: Kind
    start: int
    end: int
    value: str
    confidence: Confidence = "certain"


@dataclass(frozen=True)
class Markers:
    """What replaces each kind of finding; the server may set its own (another language...)."""

    email: str = "[adresse retirée]"
    phone: str = "[téléphone retiré]"

    def for_kind(self, kind: Kind) -> str:
        if kind == "name":
            raise ValueError("names are replaced by their plan's pseudonyms (anonymizer.names)")
        return self.email if kind == "email" else self.phone


def count(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts per kind, every kind present (zero included), so reports have a stable shape."""
    counts: dict[str, int] = dict.fromkeys(KINDS, 0)
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts


def add_counts(total: dict[str, int], more: dict[str, int]) -> None:
    """Adds `more` into `total` in place."""
    for kind, number in more.items():
        total[kind] = total.get(kind, 0) + number


def first_of_overlapping(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by position, keeping of overlapping findings the one that starts first.

    At the same start the longer one wins, then the one that came first in `findings`, so
    callers list their more specific readings first.
    """
    ordered = sorted(findings, key=lambda finding: (finding.start, finding.start - finding.end))
    kept: list[Finding] = []
    for finding in ordered:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept
