"""Find French phone numbers spelled out in words, or in words and digits mixed.

`zéro six douze trente-quatre cinquante-six soixante-dix-huit`, `06 douze 34 56 78`,
`zéro six, 12, trente-quatre...`: people dictate numbers in pairs (or digit by digit), and the
notes keep the words. A run of numbers written in words or digits, separated by blanks,
punctuation or one line break, is a phone number when it spells exactly ten digits, `0` and
then `1`-`9`, with at least one word among them. Such a finding is always `probable`.

The scan is anchored like the others: a run starts with `zéro` (every French number but the
`+33` ones opens on it) or with two digits followed by a number word (found by `phones`).
"""

from __future__ import annotations

import re

from anonymizer.findings import Finding

NATIONAL_DIGITS = 10

_UNITS = {
    "zéro": 0,
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
}
_TEENS = {
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS = {
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "septante": 70,
    "huitante": 80,
    "octante": 80,
    "nonante": 90,
}
_HUNDREDS = {"cent": 100, "cents": 100}
_WORD_VALUES = {**_UNITS, **_TEENS, **_TENS, **_HUNDREDS}
_WORD = "(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + ")"
_BLANK = "[ \t\u00a0\u2009\u202f]"
_INSIDE_NUMBER = re.compile("(?:-|" + _BLANK + "+(?:et" + _BLANK + "+)?)", re.IGNORECASE)
_BETWEEN_NUMBERS = re.compile(
    "(?:" + _BLANK + "|[.,;/\\-])*(?:\\r?\\n(?:" + _BLANK + "|[.,;/\\-])*)?"
)
_ITEM = re.compile("(\\d{1,4})(?!\\d)|(" + _WORD + ")(?!\\w)", re.IGNORECASE)
_NUMBER_WORD = re.compile(_WORD + "(?![\\w])", re.IGNORECASE)
_EIGHTY = re.compile("quatre-vingt", re.IGNORECASE)
_PLUS_33 = re.compile("[pP]lus[ ,]+trente[- ]trois(?!\\w)[ ,.\\-]*")
_REACH = 16
"""How far around `trois` to look for the rest of `plus trente-trois` and its separators."""
_SPELLED_START = re.compile("ro(?:(?<=[zZ][ée]ro)(?!\\w)|(?<=trente[- ]tro)is(?!\\w))")
"""`zéro` (`Zéro`, `zero`), and the `trois` of `plus trente-trois`: one scan of their `ro`."""
AFTER_TWO_DIGITS = (
    "(?:" + _BLANK + "?[.\\-]?" + _BLANK + "?\\d\\d){0,3}[ .\\-]+(?=(?i:" + _WORD + ")(?!\\w))"
)
"""After `0` and a digit, what makes a mixed number (`06 12 douze...`): `phones` finds it in
its own scan of the zeros, and calls `read_spelled_run`."""


def find_spelled_phones(text: str) -> list[Finding]:
    """Every number in words that starts with `zéro` or `plus trente-trois`, in order."""
    findings: list[Finding] = []
    for match in _SPELLED_START.finditer(text):
        if match.end() - match.start() == 2:
            start, digits_start = match.start() - 2, None
        else:
            plus = _PLUS_33.search(text, max(0, match.start() - _REACH), match.end() + _REACH)
            if plus is None or plus.start() > match.start():
                continue
            start, digits_start = plus.start(), plus.end()
        if findings and start < findings[-1].end:
            continue
        finding = read_spelled_run(text, start, digits_start)
        if finding is not None:
            findings.append(finding)
    return findings


def read_spelled_run(text: str, start: int, digits_start: int | None = None) -> Finding | None:
    """The number whose text starts at `start`, its digits at `digits_start` (after a spelled
    `plus trente-trois`, nine digits without the trunk 0; else ten digits with it)."""
    international = digits_start is not None
    position = start if digits_start is None else digits_start
    wanted = NATIONAL_DIGITS - 1 if international else NATIONAL_DIGITS
    digits, end, has_word = "", position, international
    while len(digits) < wanted:
        item = _ITEM.match(text, position)
        if item is None:
            break
        if item.group(1) is not None:
            digits, end = digits + item.group(1), item.end()
        else:
            value, end = _read_number(text, item.start())
            digits, has_word = digits + str(value), True
        position = _skip_separators(text, end)
    national = digits[1:] if not international and digits.startswith("0") else digits
    if not has_word or len(digits) != wanted or len(national) != wanted - (not international):
        return None
    if national.startswith("0") or (position > end and _ITEM.match(text, position) is not None):
        return None
    return Finding("phone", start, end, "+33" + national, "probable")


def _skip_separators(text: str, position: int) -> int:
    """Where the next number may start: after blanks, punctuation and one line break."""
    separators = _BETWEEN_NUMBERS.match(text, position)
    return position if separators is None else separators.end()


def _read_number(text: str, position: int) -> tuple[int, int]:
    """The value (0-999) of the number in words at `position`, and where it ends.

    Words are combined as French does: `dix-sept`, `quatre-vingt-douze`, `soixante et onze`,
    `huit cents`; `soixante quatre-vingts` is two numbers.
    """
    values: list[int] = []
    while True:
        word = _NUMBER_WORD.match(text, position)
        if word is None:
            break
        values.append(_WORD_VALUES[word.group().lower()])
        end = word.end()
        joint = _INSIDE_NUMBER.match(text, end)
        following = None if joint is None else _NUMBER_WORD.match(text, joint.end())
        if following is None or joint is None:
            break
        eighty = _EIGHTY.match(text, following.start()) is not None
        if not _continues(values, _WORD_VALUES[following.group().lower()], eighty=eighty):
            break
        position = joint.end()
    return _combine(values), end


def _continues(values: list[int], following: int, *, eighty: bool) -> bool:
    """Whether the next word belongs to the same number (`soixante`-`dix`, not `six` `douze`)."""
    last, tens = values[-1], _combine(values) % 100
    if eighty:
        return last == 100
    if following == 100:
        return len(values) == 1 and 1 <= last <= 9
    if last == 100:
        return True
    if last == 4 and following == 20:
        return len(values) == 1 or values[-2] == 100
    if last == 10 and 7 <= following <= 9:
        return True
    if tens >= 20 and tens % 10 == 0 and 1 <= following <= 9:
        return True
    return tens in (60, 80) and 10 <= following <= 16


def _combine(values: list[int]) -> int:
    total = 0
    for index, value in enumerate(values):
        if value == 100:
            total = max(total, 1) * 100
        elif value == 20 and index > 0 and values[index - 1] == 4:
            total += 76
        else:
            total += value
    return total
