"""Find phone numbers: French national formats and international (E.164) ones.

Recognised: `06 12 34 56 78`, `06.12.34.56.78`, `06-12-34-56-78`, `0612345678`,
`+33 6 12 34 56 78`, `+33 (0)6 12 34 56 78`, `0033 6 12 34 56 78`, `(+33) 6...`, and any
`+<country> <groups>` of 8 to 15 digits (`+44 20 7946 0958`, `+1 (415) 555-2671`).
A national number must be exactly ten digits in pairs after a leading 0, so dates, times,
postcodes, years and amounts do not match; a number glued to a longer run of digits, or
followed by a currency or `%`, is not a phone number. A number may be broken once across a
line break (`06 12 34` / `56 78`): such a finding is `probable`, and so is one spelled out in
words (`spelled_phones`).
"""

from __future__ import annotations

import re

from anonymizer.findings import Confidence, Finding, first_of_overlapping
from anonymizer.spelled_phones import AFTER_TWO_DIGITS, find_spelled_phones, read_spelled_run

MIN_INTERNATIONAL_DIGITS = 8
"""Fewest digits (country code included) for a `+...` number: below that it is a figure."""
MAX_INTERNATIONAL_DIGITS = 15
"""E.164's maximum, country code included."""

_SEP = "(?:[ .\\-\u00a0\u2009\u202f]|[ .\\-]?[ \t]*(?:\\r\\n?|\\n)[ \t]*)"
MAX_LINE_BREAKS = 1
"""A number is broken across lines at most once: a column of figures is not a number."""
_PAIRS = "(?:" + _SEP + "?\\d\\d){4}"
_AFTER_33 = _SEP + "?(?:\\(0\\)" + _SEP + "?)?0?[1-9]" + _PAIRS
_AFTER_PLUS = "\\d{1,3}(?:" + _SEP + "?\\((?:0|\\d{1,4})\\))?(?:" + _SEP + "?\\d{1,5}){1,7}"
_NOT_A_FIGURE = (
    "(?!\\w)(?![.\\-/]\\d)(?! ?\\d\\d(?!\\d))"
    "(?![ \u00a0\u202f]?(?:[€$£%]|(?:k€|M€|EUR|USD|GBP|euros?|dollars?)\\b))"
)


def _starting_with(literal: str, rest: str) -> re.Pattern[str]:
    """A pattern that opens on `literal`, so that the regex engine can skip to it quickly.

    The "not glued to a word or to a longer number" test sits after the literal, as a
    lookbehind over it: a leading lookbehind would make every position a candidate.
    """
    escaped = re.escape(literal)
    return re.compile(
        escaped
        + "(?<![\\w+]"
        + escaped
        + ")(?<!\\d[ .\\-/,]"
        + escaped
        + ")"
        + rest
        + _NOT_A_FIGURE
    )


_ZERO = re.compile(
    _starting_with("0", "(?:[1-9]" + _PAIRS + "|033" + _AFTER_33 + ")").pattern
    + "|0(?<![\\w+]0)[1-9](?P<spelled>"
    + AFTER_TWO_DIGITS
    + ")"
)
"""Zeros are frequent: one scan finds the numbers in digits and those that go on in words."""
_PLUS = _starting_with(
    "+",
    "(?:(?<=\\(\\+)(?<![\\w+]\\(\\+)(?<!\\d[ .\\-/,]\\(\\+)(?P<bracketed>33\\)"
    + _AFTER_33
    + "|(?P<bracketed_international>\\d{1,3}\\)(?:"
    + _SEP
    + "?\\d{1,5}){1,7}))|33"
    + _AFTER_33
    + "|(?P<international>"
    + _AFTER_PLUS
    + "))",
)
"""`+33 6...`, `+44 20...`, and `(+33) 2...`, `(+44) 20...` (the parenthesis is found behind the
sign, so that one scan serves both: its span then starts one character earlier)."""
_TRUNK = re.compile("\\(0\\)")
_NON_DIGIT = re.compile("\\D")


def find_phones(text: str) -> list[Finding]:
    """Every phone number in `text`, in order, none overlapping."""
    patterns = (_ZERO, _PLUS) if "+" in text else (_ZERO,)
    findings = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            spelled = match.groupdict().get("spelled") is not None
            finding = read_spelled_run(text, match.start()) if spelled else _finding(match)
            if finding is not None:
                findings.append(finding)
    return first_of_overlapping(findings + find_spelled_phones(text))


def _finding(match: re.Match[str]) -> Finding | None:
    """Normalises to E.164: French numbers lose their trunk 0, others keep all their digits."""
    breaks = match.group().count("\n")
    if breaks > MAX_LINE_BREAKS:
        return None
    confidence: Confidence = "probable" if breaks else "certain"
    groups = match.groupdict()
    bracketed = groups.get("bracketed") or groups.get("bracketed_international")
    start = match.start() - 1 if bracketed else match.start()
    digits = _NON_DIGIT.sub("", _TRUNK.sub("", match.group()))
    if groups.get("international") is None and groups.get("bracketed_international") is None:
        if match.group().startswith("0033"):
            national = digits[4:]
        elif match.group().startswith("0"):
            national = digits
        else:
            national = digits[2:]
        return Finding("phone", start, match.end(), "+33" + national.removeprefix("0"), confidence)
    if not MIN_INTERNATIONAL_DIGITS <= len(digits) <= MAX_INTERNATIONAL_DIGITS:
        return None
    return Finding("phone", start, match.end(), "+" + digits, confidence)
