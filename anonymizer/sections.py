"""Personal lists: the sections of a pad that list people, removed whole at the purge.

A pad's "Participants" or "mel" section is a list of people (names, organisations, addresses).
The purge removes its body and keeps its heading, followed by a note (`liste retirée`), and the
names in it become known names, removed wherever else they occur (see `names`).

A heading is a line that is one of the headings, case, accents and inclusive-writing marks
aside (`Participant·es`, `participantes`, `PARTICIPANT.E.S` are one), optionally followed by a
count in parentheses and/or a colon, written as a Markdown ATX heading (`## Participants (26)`),
bold (`**Participants** :`), or alone on its line (`mel (17 sur 26)`); a Setext underline
(`===` or `---`) right below it belongs to it. A personal heading followed by a colon and more
text on its line (`Présents : Marie, Paul`) is an inline list: the rest of that line is its
body, nothing below.

Where a body ends, exactly: it starts on the line after the heading (after its underline) and
stops before the first line that is
- an ATX heading (`#` to `######`, any title), or a line with a `===` underline;
- a known section heading, personal or not (`Questions`, `Tour de parole`, `Notes`..., with the
  same count/colon/bold forms): so a heading typed twice starts a second list;
- a horizontal rule (three or more `-`, `*` or `_`, blanks allowed between);
- the first of two consecutive blank lines;
- a blank line followed by a line that is not more of the list: after a body with bullets
  (`-`, `*`, `1.`, `[ ]`...), a line without one; after a plain-line body, a line of more than
  `MAX_ENTRY_WORDS` words (prose after the list is kept);
or at the end of the text. The span removed runs from the start of the body's first non-blank
line to the end of its last non-blank line (line break excluded), so blank lines around it and
the text's line-break style (LF, CRLF, CR) stay as they were. A body with no non-blank line is
an empty list: nothing is removed and no note is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from anonymizer.folding import WORD, fold
from anonymizer.name_lexicon import is_first_name, not_names
from anonymizer.text import find

PERSONAL_HEADINGS: tuple[str, ...] = (
    "Participants",
    "Participant·es",
    "Liste des participants",
    "Liste des participant·es",
    "Présent·es",
    "Présents",
    "Présences",
    "Inscrit·es",
    "Inscrits",
    "Inscriptions",
    "Excusé·es",
    "Absent·es",
    "Émargement",
    "mel",
    "mél",
    "mail",
    "mails",
    "e-mail",
    "email",
    "emails",
    "Adresses",
    "Contacts",
    "Liste de diffusion",
    "Attendees",
    "Participants list",
)
"""The default personal-list headings (the pad template writes `## Participants`)."""

OTHER_HEADINGS: tuple[str, ...] = (
    "Questions",
    "Questions / réponses",
    "Q&R",
    "Q&A",
    "Tour de parole",
    "Tour de table",
    "Présentation",
    "Intervenant·es",
    "Speakers",
    "Programme",
    "Ordre du jour",
    "Agenda",
    "Notes",
    "Introduction",
    "Conclusion",
    "Liens",
    "Links",
    "Ressources",
    "Resources",
    "Suite",
    "Prochaines étapes",
    "Next steps",
    "Résumé",
    "Synthèse",
    "Summary",
    "Discussion",
    "Échanges",
    "Compte rendu",
)
"""Headings of other sections: each one ends a personal list."""

LIST_NOTE = "liste retirée"

_LINE = re.compile("[^\r\n]*(?:\r\n|\r|\n)?")
_ATX = re.compile("^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_UNDERLINE = re.compile("^ {0,3}(?:={2,}|-{2,})[ \t]*$")
_EQUALS = re.compile("^ {0,3}={2,}[ \t]*$")
_RULE = re.compile("^ {0,3}([-*_])(?:[ \t]*\\1){2,}[ \t]*$")
_MARKUP = re.compile("[*_`]")
_NOT_LETTERS = re.compile("[\\W\\d_]+")
_HEADING = re.compile(
    "^[ \t]*(?P<word>[^\\s():][^():]*?)[ \t]*(?:\\((?P<count>[^()]*\\d[^()]*)\\))?[ \t]*"
    "(?::[ \t]*(?P<rest>.*?))?[ \t]*$"
)
_BULLET = re.compile(
    "^[ \t]*(?:>[ \t]*)*(?:(?:[-*+•·–—]|\\d{1,3}[.)]|[a-z][.)])[ \t]+)?(?:\\[[ xX✓]\\][ \t]*)?"
)
_LINK = re.compile("\\[([^\\]]*)\\]\\([^)]*\\)")
_ENTRY_SPLIT = re.compile("[ \t]*(?:[,;]|\\bet\\b|\\band\\b|&)[ \t]*")
_ENTRY_REST = re.compile("[ \t]+[-–—/|:][ \t]|[ \t]*[(<\t]|[ \t]*:[ \t]")
_LOCAL_PART = re.compile("^([^\\W\\d_]{2,})[._-]([^\\W\\d_]{2,})@")
MAX_HEADING_WORD = 40
"""Longer than any heading: a longer heading word is not folded to compare it."""
MAX_HEADING_LENGTH = 80
"""A line whose part before any colon is longer is never a heading (nor folded to see)."""
MAX_ENTRY_WORDS = 5
"""An entry with more words than this is prose, not a name."""


@dataclass(frozen=True)
class ListEntry:
    """One name read in a personal list; `rest` is the organisation or address beside it."""

    name: str
    start: int
    end: int
    rest: str = ""


@dataclass(frozen=True)
class PersonalList:
    """A personal list: its heading line, and the span `start:end` that the purge removes.

    `start == end` for an empty list (nothing removed, no note).
    """

    heading: str
    heading_start: int
    heading_end: int
    start: int
    end: int
    entries: tuple[ListEntry, ...]

    @property
    def empty(self) -> bool:
        return self.start == self.end


def heading_key(heading: str) -> str:
    """The form headings are compared in: folded letters only (`participantes`)."""
    return _NOT_LETTERS.sub("", fold(heading))


def _keys(headings: Iterable[str]) -> frozenset[str]:
    return frozenset(heading_key(heading) for heading in headings)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    """Without its line break."""
    text: str


def _lines(text: str) -> list[_Line]:
    lines = []
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        body = match.group().rstrip("\r\n")
        lines.append(_Line(match.start(), match.start() + len(body), body))
    return lines


def _heading_match(line: str, keys: frozenset[str]) -> re.Match[str] | None:
    atx = _ATX.match(line)
    title = (atx.group(1) or "") if atx else line
    if len(title.split(":", 1)[0]) > MAX_HEADING_LENGTH:
        return None
    match = _HEADING.match(_MARKUP.sub("", title))
    if (
        match
        and len(match.group("word")) <= MAX_HEADING_WORD
        and heading_key(match.group("word")) in keys
    ):
        return match
    return None


def find_personal_lists(
    text: str, headings: Iterable[str] = PERSONAL_HEADINGS, others: Iterable[str] = OTHER_HEADINGS
) -> list[PersonalList]:
    """Every personal list of `text`, in order (see the module docs for where each ends)."""
    personal = _keys(headings)
    known = personal | _keys(others)
    lines = _lines(text)
    found = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _heading_match(line.text, personal)
        if match is None:
            index += 1
            continue
        if match.group("rest"):
            after = line.text.index(":") + 1
            start = line.start + after + len(line.text[after:]) - len(line.text[after:].lstrip())
            end = line.start + len(line.text.rstrip())
            found.append(_personal_list(text, line, start, end))
            index += 1
            continue
        index += 1
        if index < len(lines) and _UNDERLINE.match(lines[index].text):
            index += 1
        first = index
        while index < len(lines) and not _ends_body(lines, first, index, known):
            index += 1
        body = [body_line for body_line in lines[first:index] if body_line.text.strip()]
        start, end = (body[0].start, body[-1].end) if body else (line.end, line.end)
        found.append(_personal_list(text, line, start, end))
    return found


def _ends_body(lines: list[_Line], first: int, index: int, known: frozenset[str]) -> bool:
    line = lines[index].text
    if _ATX.match(line) or _RULE.match(line) or _heading_match(line, known):
        return True
    if index + 1 < len(lines) and _EQUALS.match(lines[index + 1].text) and line.strip():
        return True
    if line.strip() or index + 1 >= len(lines):
        return False
    following = lines[index + 1].text
    return not following.strip() or not _goes_on(lines[first:index], following)


def _goes_on(body: list[_Line], following: str) -> bool:
    """Whether the line after a blank line is still the list: a bullet after bullets, a short
    line after plain lines."""
    if any(_is_item(line.text) for line in body):
        return _is_item(following)
    return len(WORD.findall(following)) <= MAX_ENTRY_WORDS


def _is_item(line: str) -> bool:
    return _BULLET.match(line).end() > len(line) - len(line.lstrip())  # type: ignore[union-attr]


def _personal_list(text: str, heading: _Line, start: int, end: int) -> PersonalList:
    entries = tuple(_entries(text, start, end))
    return PersonalList(heading.text, heading.start, heading.end, start, end, entries)


def _entries(text: str, start: int, end: int) -> Iterable[ListEntry]:
    for line in _lines(text[start:end]):
        yield from _line_entries(text, start + line.start, start + line.end)


def _line_entries(text: str, start: int, end: int) -> Iterable[ListEntry]:
    """The names of one list line: bullets, Markdown, addresses and organisations set apart."""
    line = text[start:end]
    addresses = [finding for finding in find(line) if finding.kind == "email"]
    for address in addresses:
        derived = _name_from_address(address.value)
        if derived:
            yield ListEntry(derived, start + address.start, start + address.end, address.value)
    cleaned = list(line)
    for address in addresses:
        cleaned[address.start : address.end] = " " * (address.end - address.start)
    plain = _LINK.sub(_link_text, "".join(cleaned))
    plain = _MARKUP.sub(" ", plain)
    position = _BULLET.match(plain).end()  # type: ignore[union-attr]
    for part in _ENTRY_SPLIT.split(plain[position:]):
        offset = plain.index(part, position) if part else position
        position = offset + len(part)
        cut = _ENTRY_REST.search(part)
        name = (part[: cut.start()] if cut else part).strip(" \t.")
        if _looks_like_name(name):
            name_start = start + offset + part.index(name)
            rest = part[cut.end() :].strip(" \t()<>") if cut else ""
            yield ListEntry(name, name_start, name_start + len(name), rest)


def _link_text(link: re.Match[str]) -> str:
    """A Markdown link's text in place, blanks for its brackets and target: positions hold."""
    return " " + link.group(1) + " " * (len(link.group()) - len(link.group(1)) - 1)


def _looks_like_name(name: str) -> bool:
    words = WORD.findall(name)
    if not words or len(words) > MAX_ENTRY_WORDS:
        return False
    return any(fold(word) not in not_names() for word in words)


def _name_from_address(address: str) -> str | None:
    """`marie.dupont@…` → `Marie Dupont` when one half is a known first name."""
    match = _LOCAL_PART.match(address)
    if match and (is_first_name(fold(match.group(1))) or is_first_name(fold(match.group(2)))):
        return f"{match.group(1).capitalize()} {match.group(2).capitalize()}"
    return None


def removal_edits(
    lists: Iterable[PersonalList], note: str = LIST_NOTE
) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each non-empty list: its body becomes `note`."""
    return [(found.start, found.end, note) for found in lists if not found.empty]
