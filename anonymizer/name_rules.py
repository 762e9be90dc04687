"""Find names in a pad's text by rule: the forms that note-takers use and models miss.

Each rule reads one line's tokens (see `folding`) and trusts a word as a first name only if
the lexicon knows it (`name_lexicon`): an ordinary capitalised word is never a name here. Rules:
- `line-start`: a first name opening a line, then `:`, `,` or ` - ` (`Marie : d'accord`,
  `- **Yann Le Goff** : ...`), or alone on its line;
- `signature`: a first name closing a remark, after `. `, ` - `, ` — ` or `(` (`... ok. marie`,
  `... (Loïc)`), with an initial or a surname after it; a lone first name that is also a word
  (`rose`, `olive`) only as the line's last word after punctuation or a symbol;
- `initials`: 2 to 4 capitals where a name is expected: `(MB)`, `— JBP`, `JBP :`, after a cue;
  dotted initials anywhere (`A.L.`, `J.-M.`); short ones (2 or 3, `PhL`) opening a line before
  a lower-case word (`CD demande`), in a list of them (`GK, SLB et YR`), after `ok`, `+1`,
  `avec`; never a known acronym (`ACRONYMS`, `data/acronyms.txt`);
- `caps`: an upper-case surname beside a first name, or after a civility (`DUPONT Marie`,
  `M. KERBRAT`, `Mme LE GALL`), and a civility before a capitalised name (`Mme Kerbrat`);
- `cue`: one or more names after a cue (`signalé par`, `merci à X et Y`, `d'après`, `selon`,
  `comme le disait`): lexicon first names in any case, other capitalised words, initials;
- `first-name`: a capitalised lexicon first name anywhere, with the surname after it.
A name is extended over the capitalised or upper-case words, particles and initials that
follow it (`Marie-Anne de la Fontaine`, `Marie D.`). Markdown is transparent: tokens skip `*`,
`_`, brackets and bullets. Guards (`guarded`) drop what is a place, a venue (`rue Victor
Hugo`), a tool, a month, a heading or a role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from anonymizer.folding import Token, is_capitalised, is_upper
from anonymizer.name_lexicon import (
    ACRONYMS,
    CIVILITIES,
    PARTICLES,
    VENUE_WORDS,
    common_words,
    is_first_name,
    is_plain_first_name,
    not_names,
    places,
)
from anonymizer.name_matcher import sentence_start

MAX_NAME_WORDS = 5
_GAP = re.compile("[ \t\u00a0\u202f\\-‐*_]+")
_INITIALS = "[A-ZÀ-ÖØ-Þ](?:(?:\\.[-‐ ]?|[-‐])?[A-ZÀ-ÖØ-Þ]){1,3}\\.?"
_INITIALS_CONTEXTS = (
    re.compile("\\([ \t]*(" + _INITIALS + ")[ \t]*\\)"),
    re.compile("(?:^|[ \t])[-–—][ \t]*(" + _INITIALS + ")[ \t.!*_]*$"),
    re.compile("^[ \t>*_+•·-]*(" + _INITIALS + ")[ \t*_]*:"),
)
_WHOLE_INITIALS = re.compile("(?<![\\w.])" + _INITIALS + "(?!\\w)")
_AFTER_LINE_START = re.compile("[*_]*[ \t]*(?::|,|[-–—](?=[ \t]|$))")
_LINE_END = re.compile("[ \t).!?…*_]*$")
_SIGNATURE_BEFORE = re.compile("(?:[.!?…]|[ \t][-–—]|\\()$")
_SIGNED_OFF = re.compile("(?:[.!?…,+—–(]|[^\\w\\s\\d.,;:'’\"«»)\\]])$")
"""What ends a remark before a lone first name that is also a word (`... merci d'avance, olive`,
`très inspirant !! 🙏 claire`, `...—katell`): the last word of the line, it signs it."""
_CUE = re.compile(
    "(?i:\\b(?:(?:(?:signal|propos|présent|anim|pos|rédig|not|partag|envoy|rapport|suggér"
    "|évoqu|soulev|relev|cit|mentionn|apport|coordonn|modér|remont|port|lanc)ée?s?"
    "|prise?s?|relue?s?|écrite?s?|reprise?s?|transmise?s?)[ \t]+par"
    "|merci(?:[ \t]+(?:aussi|encore|beaucoup))?(?:[ \t]+(?:à|a))?|bravo(?:[ \t]+à)?"
    "|remerciements?[ \t]+à|d['’][ \t]?après|selon|d['’]accord[ \t]+avec|vu[ \t]+avec"
    "|comme[ \t]+(?:le[ \t]+|l['’])?(?:disait|dit|a[ \t]+dit|souligne|soulignait|rappelle"
    "|rappelait|explique|expliquait|suggère|suggérait|propose|proposait|précise|précisait)"
    "|question[ \t]+de|remarque[ \t]+de|intervention[ \t]+de|retour[ \t]+de|notes?[ \t]+de"
    "|rédaction[ \t]*:|relecture[ \t]*:|thanks(?:[ \t]+to)?|thank[ \t]+you|according[ \t]+to"
    "|agree[ \t]+with|notes?[ \t]+by|great[ \t]+point)[ \t]+)"
)
"""What comes before names in notes: a name (a lexicon first name, a capitalised word) or
initials may follow, and a list of them (`merci à X et Y`)."""
_INITIALS_CUE = re.compile("(?i:(?:\\bok|\\+1|\\bavec|\\bwith)[ \t]+)")
"""What comes before initials, not before other words: `ok TLG`, `+1 LB`, `avec AK`."""
_SHORT_INITIALS = "[A-ZÀ-ÖØ-Þ](?:[a-z]?[A-ZÀ-ÖØ-Þ]){1,2}"
_LINE_START_INITIALS = re.compile(
    "^[ \t>*_+•·-]*("
    + _SHORT_INITIALS
    + ")(?=[ \t]+(?:et[ \t]+"
    + _SHORT_INITIALS
    + "[ \t]+)?[a-zà-ÿ])"
)
"""Short initials opening a line before a lower-case word, mostly a verb (`CD demande`,
`PhL nous rappelle`), or a pair of them (`JB et MJ se proposent`)."""
_DOTTED = re.compile("(?<![\\w.])[A-ZÀ-ÖØ-Þ]\\.(?:[-‐][ \t]?|[ \t]?)?[A-ZÀ-ÖØ-Þ]\\.(?!\\w)")
"""Initials written with their dots (`A.L.`, `M.-A.`, `J.-M.`): a person's, anywhere."""
_SHORT_LIST = re.compile(
    "(?<![\\w.])(" + _SHORT_INITIALS + ")(?:[ \t]*(?:,|&|/|\\+|\\bet\\b|\\band\\b)[ \t]*"
    "(" + _SHORT_INITIALS + "))+(?![\\w.])"
)
"""Two or more short initials in a list (`GK, SLB, YR`, `MB & JBP`)."""
_SHORT = re.compile("(?<![\\w.])" + _SHORT_INITIALS + "(?![\\w.])")
_SEPARATED = re.compile("[.!?:;,()—–]")
"""Punctuation between a venue word and a name: the name no longer belongs to the venue
(`pour notre commune. julian`)."""
_LIST_JOIN = re.compile("[ \t]*(?:,|&|/|\\bet\\b|\\band\\b)[ \t]*")


class Detection(NamedTuple):
    """A name found by `rule` at `start:end`."""

    start: int
    end: int
    rule: str


def _first(token: Token, *, lower_ok: bool) -> bool:
    if is_capitalised(token.word) or is_upper(token.word):
        return is_first_name(token.key)
    return lower_ok and token.word.islower() and is_plain_first_name(token.key)


def _surname_like(token: Token) -> bool:
    shaped = is_capitalised(token.word) or is_upper(token.word)
    return shaped and token.key not in not_names()


def _joined(text: str, left: Token, right: Token) -> bool:
    return _GAP.fullmatch(text, left.end, right.start) is not None


def _extend(text: str, words: Sequence[Token], index: int) -> tuple[int, int]:
    """(last token index, end position) of the name that starts at `words[index]`."""
    last, end = index, words[index].end
    while (
        last + 1 < len(words)
        and last - index < MAX_NAME_WORDS
        and _joined(text, words[last], words[last + 1])
    ):
        following = words[last + 1]
        if len(following.word) == 1 and following.word.isupper():
            if text.startswith(".", following.end):
                last, end = last + 1, following.end + 1
                continue
            break
        if _surname_like(following) or is_first_name(following.key):
            last, end = last + 1, following.end
            continue
        after = last + 2
        if (
            following.key in PARTICLES
            and after < len(words)
            and _joined(text, following, words[after])
            and _surname_like(words[after])
        ):
            last, end = after, words[after].end
            continue
        break
    return last, end


def _line_start(text: str, words: Sequence[Token], line_end: int) -> Iterable[Detection]:
    first = words[0]
    if not sentence_start(text, first.start) or not _first(first, lower_ok=True):
        return
    _, end = _extend(text, words, 0) if not first.word.islower() else (0, first.end)
    if _AFTER_LINE_START.match(text, end, line_end) or _LINE_END.fullmatch(text, end, line_end):
        yield Detection(first.start, end, "line-start")


def _signature(
    text: str, words: Sequence[Token], line_start: int, line_end: int
) -> Iterable[Detection]:
    if len(words) < 2 or not _LINE_END.fullmatch(text, words[-1].end, line_end):
        return
    end = words[-1].end + (1 if text.startswith(".", words[-1].end) else 0)
    index = len(words) - 1
    last = words[-1]
    single_initial = len(last.word) == 1 and last.word.isupper()
    surname = single_initial or _surname_like(last)
    if surname and _joined(text, words[-2], last) and _first(words[-2], lower_ok=True):
        index -= 1
    before = text[line_start : words[index].start].rstrip(" \t*_")
    if not before:
        return
    first = _first(words[index], lower_ok=True) and _SIGNATURE_BEFORE.search(before)
    alone = index == len(words) - 1 and is_first_name(words[index].key)
    if first or (alone and _SIGNED_OFF.search(before)):
        yield Detection(words[index].start, end, "signature")


def _initials(text: str, line_start: int, line_end: int) -> Iterable[Detection]:
    line = text[line_start:line_end]
    for context in _INITIALS_CONTEXTS:
        for found in context.finditer(line):
            start, end = found.start(1) + line_start, found.end(1) + line_start
            if _is_initials(text, start, end):
                yield Detection(start, end, "initials")
    for found in _DOTTED.finditer(line):
        start, end = found.start() + line_start, found.end() + line_start
        if _is_initials(text, start, end):
            yield Detection(start, end, "initials")
    shorts = [match.span(1) for match in _LINE_START_INITIALS.finditer(line)]
    for run in _SHORT_LIST.finditer(line):
        shorts += [short.span() for short in _SHORT.finditer(line, run.start(), run.end())]
    for cue in _INITIALS_CUE.finditer(line):
        short = _SHORT.match(line, cue.end())
        if short:
            shorts.append(short.span())
    for start, end in shorts:
        if _is_short_initials(text, start + line_start, end + line_start):
            yield Detection(start + line_start, end + line_start, "initials")


def _is_initials(text: str, start: int, end: int) -> bool:
    letters = "".join(character for character in text[start:end] if character.isalpha())
    whole = _WHOLE_INITIALS.fullmatch(text, start, end) is not None
    return whole and 2 <= len(letters) <= 4 and letters.upper() not in ACRONYMS


def _is_short_initials(text: str, start: int, end: int) -> bool:
    """2 or 3 capitals, a lower-case letter allowed after the first (`PhL`), not an acronym."""
    written = text[start:end]
    return re.fullmatch(_SHORT_INITIALS, written) is not None and written.upper() not in ACRONYMS


def _caps(text: str, words: Sequence[Token]) -> Iterable[Detection]:
    for index, token in enumerate(words):
        if token.key in CIVILITIES and index + 1 < len(words):
            following = words[index + 1]
            gap_ok = re.fullmatch("\\.?[ \t\u00a0]+", text[token.end : following.start])
            if gap_ok and _name_opens(text, words, index + 1):
                _, end = _extend(text, words, index + 1)
                yield Detection(following.start, end, "caps")
            continue
        if not is_upper(token.word) or token.word.upper() in ACRONYMS:
            continue
        if token.key in not_names() and not _upper_particle(text, words, index):
            continue
        last = index
        while (
            last + 1 < len(words)
            and is_upper(words[last + 1].word)
            and _joined(text, words[last], words[last + 1])
        ):
            last += 1
        after = last + 1
        if (
            after < len(words)
            and _joined(text, words[last], words[after])
            and is_capitalised(words[after].word)
            and is_first_name(words[after].key)
        ):
            _, end = _extend(text, words, after)
            yield Detection(token.start, end, "caps")


def _cue(text: str, words: Sequence[Token], line_start: int, line_end: int) -> Iterable[Detection]:
    by_start = {token.start: index for index, token in enumerate(words)}
    for cue in _CUE.finditer(text, line_start, line_end):
        position = cue.end()
        while position < line_end:
            initials = _WHOLE_INITIALS.match(text, position)
            index = by_start.get(position)
            civility = _civility_at(text, words, index)
            if civility is not None:
                position = civility
                continue
            if initials and _is_initials(text, initials.start(), initials.end()):
                end, rule = initials.end(), "initials"
            elif index is not None and _cue_name(text, words, index):
                capitalised = words[index].word[0].isupper()
                end = _extend(text, words, index)[1] if capitalised else words[index].end
                rule = "cue"
            else:
                break
            yield Detection(position, end, rule)
            join = _LIST_JOIN.match(text, end, line_end)
            if not join:
                break
            position = join.end()


def _civility_at(text: str, words: Sequence[Token], index: int | None) -> int | None:
    """Where the name starts after a civility at `words[index]` (`merci Mme Kerbrat`), if one
    is there."""
    if index is None or words[index].key not in CIVILITIES or index + 1 >= len(words):
        return None
    following = words[index + 1]
    gap_ok = re.fullmatch("\\.?[ \t\u00a0]+", text[words[index].end : following.start])
    return following.start if gap_ok else None


def _upper_particle(text: str, words: Sequence[Token], index: int) -> bool:
    """An upper-case particle opening an upper-case surname (`LE GOFF`, `DE KERGUELEN`)."""
    following = index + 1
    return (
        words[index].key in PARTICLES
        and following < len(words)
        and _joined(text, words[index], words[following])
        and is_upper(words[following].word)
        and words[following].key not in not_names()
    )


def _cue_name(text: str, words: Sequence[Token], index: int) -> bool:
    return _first(words[index], lower_ok=True) or _name_opens(text, words, index)


def _name_opens(text: str, words: Sequence[Token], index: int) -> bool:
    """A surname-like word, or a capitalised particle before one (`Le Bris`, `De Kerros`)."""
    token = words[index]
    if _surname_like(token):
        return True
    following = index + 1
    return (
        token.key in PARTICLES
        and (is_capitalised(token.word) or is_upper(token.word))
        and following < len(words)
        and _joined(text, token, words[following])
        and _surname_like(words[following])
    )


def _first_names(text: str, words: Sequence[Token]) -> Iterable[Detection]:
    index = 0
    while index < len(words):
        token = words[index]
        if not (is_capitalised(token.word) or is_upper(token.word)) or not is_first_name(token.key):
            index += 1
            continue
        last, end = _extend(text, words, index)
        ordinary = token.key in common_words()
        if not ordinary or last > index or not sentence_start(text, token.start):
            yield Detection(token.start, end, "first-name")
        index = last + 1


def find_by_rules(
    text: str, line_start: int, line_end: int, words: Sequence[Token]
) -> list[Detection]:
    """Every rule's detections on one line (they may overlap; guards not applied yet)."""
    found = list(_initials(text, line_start, line_end))
    if words:
        found.extend(_line_start(text, words, line_end))
        found.extend(_signature(text, words, line_start, line_end))
        found.extend(_caps(text, words))
        found.extend(_cue(text, words, line_start, line_end))
        found.extend(_first_names(text, words))
    return found


NAMED_BY_CONTEXT = frozenset({"cue", "signature"})
"""Rules whose context names a person: there a capitalised first name that is also a word
(`merci Pierre`, `... really clear. Rose`) is the person."""


def _capitalised_first_name(inside: Sequence[Token]) -> bool:
    first = inside[0]
    return is_capitalised(first.word) and is_first_name(first.key)


def guarded(text: str, detection: Detection, words: Sequence[Token]) -> bool:
    """Whether a detection is a place, venue, tool, date, heading or role, not a person.

    `words` are the tokens inside the detection, the one before it first (or not, at a line
    start): a detection after a venue word (`rue`, `salle`, `Saint-`...) is a place.
    """
    inside = [token for token in words if token.start >= detection.start]
    before = [token for token in words if token.start < detection.start]
    while before and before[-1].key in PARTICLES:
        before.pop()
    if (
        before
        and before[-1].key in VENUE_WORDS
        and not _SEPARATED.search(text, before[-1].end, detection.start)
    ):
        return True
    if detection.rule == "initials":
        return False
    if not inside:
        return True
    if detection.rule in NAMED_BY_CONTEXT and _capitalised_first_name(inside):
        return False
    keys = [token.key for token in inside]
    if " ".join(keys) in places():
        return True
    return all(key in not_names() or key in PARTICLES for key in keys)
