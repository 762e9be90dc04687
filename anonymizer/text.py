"""Find and redact in plain text: the entry points every other part of Skrid calls."""

from __future__ import annotations

from anonymizer.emails import find_emails
from anonymizer.findings import Finding, Markers
from anonymizer.phones import find_phones


def find(text: str) -> list[Finding]:
    """Every e-mail address and phone number in `text`, sorted by position, none overlapping.

    Where an address and a number overlap (`0612345678@sms.example`), the address wins: it is
    found first and is the larger thing to remove.
    """
    emails = find_emails(text)
    if not emails:
        return find_phones(text)
    findings = list(emails)
    email_index = 0
    for phone in find_phones(text):
        while email_index < len(emails) and emails[email_index].end <= phone.start:
            email_index += 1
        if email_index < len(emails) and emails[email_index].start < phone.end:
            continue
        findings.append(phone)
    findings.sort(key=lambda finding: finding.start)
    return findings


def redact(text: str, markers: Markers | None = None) -> str:
    """`text` with each finding replaced by its marker; every other character is kept as is."""
    return redact_findings(text, find(text), markers)


def redact_findings(text: str, findings: list[Finding], markers: Markers | None = None) -> str:
    """Replaces already-found `findings` (sorted, non-overlapping) by their markers."""
    if not findings:
        return text
    chosen = markers or Markers()
    pieces = []
    position = 0
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(chosen.for_kind(finding.kind))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
