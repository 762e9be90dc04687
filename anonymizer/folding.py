"""How names are compared and read: one folding and one word tokeniser for every name rule.

Names are compared folded (NFD, combining marks dropped, casefolded), so `Élodie`, `elodie`
and `ÉLODIE` are one name and an accent typed or forgotten changes nothing. Text is read as
word tokens, letters only (combining marks stay with their letter), so `Jean-Baptiste` is two
tokens with a hyphen between them and `marie.dupont` two with a dot: callers look at the
characters between tokens to decide what joins a name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_MARKS = re.compile("[\u0300-\u036f]+")
WORD = re.compile("(?:[^\\W\\d_][\u0300-\u036f]*)+")
"""A run of letters (with their combining marks): digits, `_`, `'` and `-` split words."""


class Token(NamedTuple):
    """One word of a text: `text[start:end]` is `word`; `key` is its folded form."""

    start: int
    end: int
    word: str
    key: str


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """`value` without accents, casefolded: the form names are compared in."""
    return _MARKS.sub("", unicodedata.normalize("NFD", value)).casefold()


@lru_cache(maxsize=65536)
def fold_name(value: str) -> str:
    """A whole name folded, its words joined by one space (hyphens and blanks alike)."""
    return " ".join(fold(word) for word in WORD.findall(value))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The word tokens of `text[start:end]`, with positions in `text`."""
    found = WORD.finditer(text, start, len(text) if end is None else end)
    return [Token(*(span := m.span()), word := text[span[0] : span[1]], fold(word)) for m in found]


def is_capitalised(word: str) -> bool:
    """`Marie`, `Élodie`: an upper-case letter then at least one lower-case one."""
    return word[:1].isupper() and not word.isupper()


def is_upper(word: str) -> bool:
    """`DUPONT`, `JBP`: two letters or more, all upper case."""
    return len(word) >= 2 and word.isupper()
