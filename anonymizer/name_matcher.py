"""Find the people a pad knows, under every form a note-taker types them.

A `Person` is a name given to the matcher: known ones (display names, personal-list entries),
found ones (read in the text by `name_rules` or the model), and protected ones (speakers, names
marked "keep"). The matcher finds, as whole words, folded (accents and case aside):
- the full name, its words joined by blanks or hyphens (`Jean-Baptiste` = `Jean Baptiste`),
  in its order or with the surname first (`DUPONT Marie`), and every run of two words or more
  of it (`Le Goff`, `Jean-Baptiste`);
- each piece alone (`Marie`, `Dupont`) of `MIN_PIECE_LETTERS` letters or more; a piece that is
  an ordinary word, a place or a tool (`Pierre`, `Claire`, `Rose`) only capitalised and not at
  the start of a sentence, and never after a venue word (`rue`, `salle`...);
- initials built from it (`MD`, `M.D.`, `JBP`, `J.-B. P.`), upper case, as a whole token.
A form shared with a protected person belongs to the protected person: speakers are never
removed, so a first name that a speaker shares with an attendee stays when written alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from anonymizer.folding import WORD, Token, fold, fold_name, is_capitalised, is_upper
from anonymizer.name_lexicon import (
    ACRONYMS,
    MIN_PIECE_LETTERS,
    PARTICLES,
    VENUE_WORDS,
    not_names,
)

Form = Literal["full", "piece", "initials"]

_GAP = re.compile("[ \t\u00a0\u202f\\-‐*_]+")
_INITIALS = re.compile(
    "(?<![\\w.])[A-ZÀ-ÖØ-Þ](?:(?:\\.[-‐ \t]?|[-‐])?[A-ZÀ-ÖØ-Þ]){1,3}\\.?(?![\\w])"
)
_SENTENCE_OPENERS = frozenset('.!?:;«"“(')
_LINE_MARKUP = frozenset(" \t>*_#-+•·[]")
MAX_INITIALS = 4


@dataclass(frozen=True)
class Person:
    """A name given to the matcher. `key` (its folded form) tells one person from another."""

    name: str
    certain: bool = True
    protected: bool = False
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", fold_name(self.name))


@dataclass(frozen=True)
class Match:
    """A form of `person` at `start:end` in the text."""

    start: int
    end: int
    person: Person
    form: Form


class _Node:
    """A trie node: the person whose run ends here (if any), and the words that go on."""

    __slots__ = ("next", "person")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.person: Person | None = None


def initials(name: str) -> set[str]:
    """`Jean-Baptiste Pierre` → {`JBP`}; `Yann Le Goff` → {`YLG`, `YG`}: 2 to 4 letters."""
    words = [re.split("[-‐]", word) for word in re.split("[\\s\u00a0]+", name.strip()) if word]
    parts = [[fold(part) for part in word if WORD.fullmatch(part)] for word in words]
    every = [part for word in parts for part in word]
    without_particles = [part for part in every if part not in PARTICLES]
    forms = set()
    for chosen in (every, without_particles):
        letters = "".join(part[0] for part in chosen).upper()
        if 2 <= len(letters) <= MAX_INITIALS and letters not in ACRONYMS:
            forms.add(letters)
    return forms


def sentence_start(text: str, position: int) -> bool:
    """Whether only markup stands between `position` and a line or sentence start."""
    index = position - 1
    while index >= 0 and text[index] in _LINE_MARKUP:
        index -= 1
    return index < 0 or text[index] in "\r\n" or text[index] in _SENTENCE_OPENERS


def _runs(words: list[str]) -> Iterable[tuple[str, ...]]:
    """The full name, its rotations (surname first), and its runs of two words or more."""
    count = len(words)
    yield tuple(words)
    for split in range(1, count):
        yield tuple(words[split:] + words[:split])
    for length in range(2, count):
        for first in range(count - length + 1):
            run = words[first : first + length]
            if any(len(word) >= MIN_PIECE_LETTERS and word not in PARTICLES for word in run):
                yield tuple(run)


class NameMatcher:
    """Built once per plan from every person; `matches` reads a text's tokens once.

    Runs are kept in a trie of folded words, so each token costs one walk as long as the
    longest name that starts there, however many people the pad knows.
    """

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self._trie: dict[str, _Node] = {}
        self._pieces: dict[str, Person] = {}
        self._initials: dict[str, Person] = {}
        self.people: list[Person] = []
        """Everyone added, in order: a matcher for other texts is built from them."""
        for person in sorted(people, key=lambda person: not person.protected):
            self.add(person)

    def add(self, person: Person) -> None:
        """Adds `person`; forms already taken keep their first owner (protected ones first)."""
        words = person.key.split()
        if not words:
            return
        self.people.append(person)
        for run in _runs(words):
            node = self._trie.setdefault(run[0], _Node())
            for word in run[1:]:
                node = node.next.setdefault(word, _Node())
            if node.person is None:
                node.person = person
        for word in words:
            if len(word) >= MIN_PIECE_LETTERS and word not in PARTICLES:
                self._pieces.setdefault(word, person)
        for form in initials(person.name):
            if person.certain or person.protected or len(form) > 2:
                self._initials.setdefault(form, person)

    def knows(self, key: str) -> bool:
        """Whether a folded name is already a form (run or piece) of someone."""
        return not key or self.owner(key) is not None

    def owner(self, key: str) -> Person | None:
        """Whose form a folded name (or upper-case initials) is, if anyone's."""
        words = key.split()
        if not words:
            return None
        node = self._trie.get(words[0])
        for word in words[1:]:
            node = node.next.get(word) if node else None
        if node is not None and node.person is not None:
            return node.person
        if len(words) == 1:
            return self._pieces.get(words[0]) or self._initials.get(words[0].upper())
        return None

    def matches(self, text: str, words: Sequence[Token]) -> list[Match]:
        """Every form found, sorted, none overlapping (longer and protected ones win)."""
        found: list[Match] = []
        index = 0
        while index < len(words):
            match, used = self._at(text, words, index)
            if match is not None:
                found.append(match)
            index += used
        if self._initials:
            found.extend(self._initials_in(text))
            found.sort(key=lambda match: match.start)
        return found

    def _at(self, text: str, words: Sequence[Token], index: int) -> tuple[Match | None, int]:
        token = words[index]
        node = self._trie.get(token.key)
        best: tuple[Person, int] | None = None
        last = index
        while node is not None:
            if node.person is not None:
                best = (node.person, last)
            following = last + 1
            if following >= len(words) or not node.next:
                break
            node = node.next.get(words[following].key)
            if node is None or not _GAP.fullmatch(text, words[last].end, words[following].start):
                break
            last = following
        if best is not None:
            whole, last = best
            return Match(token.start, words[last].end, whole, "full"), last - index + 1
        piece = self._pieces.get(token.key)
        if piece is not None and (piece.protected or self._piece_stands(text, words, index)):
            return Match(token.start, token.end, piece, "piece"), 1
        return None, 1

    @staticmethod
    def _piece_stands(text: str, words: Sequence[Token], index: int) -> bool:
        token = words[index]
        if index and words[index - 1].key in VENUE_WORDS:
            return False
        if token.key not in not_names():
            return True
        shaped = is_capitalised(token.word) or is_upper(token.word)
        return shaped and not sentence_start(text, token.start)

    def _initials_in(self, text: str) -> Iterable[Match]:
        for found in _INITIALS.finditer(text):
            letters = "".join(character for character in found.group() if character.isalpha())
            person = self._initials.get(letters)
            if person is not None:
                yield Match(found.start(), found.end(), person, "initials")
