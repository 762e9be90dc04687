"""Find e-mail (and fediverse) addresses in text, however people type them.

The scan is anchored: one fast regex finds the few places that could be the middle of an
address (an at-sign, `%40`, `[at]`, ` arobase `...), then small anchored regexes read the local
part to the left and the domain to the right. Text without such an anchor costs one regex pass,
which is what keeps the anonymiser above its speed target.

Forms and the evidence each one needs:
- `local@domain.tld` (also `＠`, `﹫`, `%40`, invisible characters inside): any alphabetic TLD.
- a space around the at-sign, or a written dot (` point `, `[dot]`): a TLD from `tlds`, and for a
  spaced at-sign no `/` after the domain (`slides @ example.com/deck` is a link).
- ` at ` as a bare English word: a written dot as well (`jean at exemple dot fr`), so that
  `meet at example.com` stays; `[at]`, `(at)`, `arobase` are unambiguous and need no more.
- `@alice@mastodon.social`: the leading at-sign is part of the finding and of its value.
Package versions (`pkg@1.2.3`), handles (`@ReseauCoherence`), decorators and URL paths
(`medium.com/@author`) have no local part or no alphabetic TLD, so they never match.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from anonymizer.findings import Finding
from anonymizer.tlds import LOOSE_TLD_PATTERN, is_known_tld

MAX_LOCAL_LENGTH = 64
"""Longest local part accepted (RFC 5321), counted without invisible characters."""
MAX_DOMAIN_LENGTH = 253
"""Longest domain accepted (RFC 1035), counted without invisible characters."""

INVISIBLE = "\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
"""Combining accents (a decomposed `é`): inside a name, though `\\w` does not match them."""
_INSIDE = INVISIBLE + MARKS
AT_SIGNS = "@＠﹫"
DOT_SIGNS = ".．｡。"
_HS = "[ \t\u00a0\u202f\u2007]"
_ATOM = "(?:[\\w+\\-'’" + _INSIDE + "]|%2[bBdDeE]|%5[fF])"
_DOT = "[" + DOT_SIGNS + "]"
_LABEL = "[\\w" + _INSIDE + "][\\w\\-" + _INSIDE + "]*"
_TLD = "(?:xn--[a-zA-Z0-9\\-]+|(?:[^\\W\\d_]|[" + _INSIDE + "]){2,63})"
_DOMAIN_END = "(?![^\\W_]|[\\-" + _INSIDE + "])"
_OPENERS = "[\\[\\(\\{<]"
_CLOSERS = "[\\]\\)\\}>]"
_WRITTEN_DOT = (
    "(?:" + _HS + "*" + _OPENERS + _HS + "*(?:dot|point|\\.)" + _HS + "*" + _CLOSERS + _HS + "*"
    "|" + _HS + "+(?:dot|point)" + _HS + "+)"
)
_ANY_DOT = "(?:" + _WRITTEN_DOT + "|" + _DOT + ")"
_DOMAIN_AHEAD = (
    "(?=" + _HS + "*" + _CLOSERS + "?" + _HS + "*(?:(?:" + _LABEL + _DOT + ")+[^\\W\\d_]"
    "|[\\w\\-" + _INSIDE + "]+(?:" + _HS + "*" + _OPENERS + "|" + _HS + "+(?i:dot|point))))"
)
"""What must follow an anchor: a dotted name ending in a letter, or a name and a written dot."""
_WORD_BEFORE = "(?<=[ \t\u00a0\u202f\\[\\(\\{<]"
_WORD_AFTER = "(?=[ \t\u00a0\u202f\\]\\)\\}>])"
_ANCHORS = (
    re.compile("@" + _DOMAIN_AHEAD),
    re.compile("%40" + _DOMAIN_AHEAD),
    re.compile("at" + _WORD_BEFORE + "at)" + _WORD_AFTER + _DOMAIN_AHEAD),
    re.compile("A[Tt]" + _WORD_BEFORE + "A[Tt])" + _WORD_AFTER + _DOMAIN_AHEAD),
    re.compile("AROBASE" + _WORD_BEFORE + "AROBASE)" + _WORD_AFTER + _DOMAIN_AHEAD),
)
_LOWER_AROBASE = re.compile("robase" + _WORD_BEFORE + "[aA]robase)" + _WORD_AFTER + _DOMAIN_AHEAD)
"""Found by its tail so that `arobase` and `Arobase` cost one scan; the span starts one earlier."""
_WIDE_ANCHOR = re.compile("[＠﹫]" + _DOMAIN_AHEAD)
"""Each pattern opens on a literal, which the regex engine finds fast: see the module docs."""

_REVERSED_ATOM = "(?:[bBdDeE]2%|[fF]5%|[\\w+\\-'’" + _INSIDE + "])"
_REVERSED_LOCAL = re.compile("(" + _HS + "{0,2})((?:" + _REVERSED_ATOM + "|" + _DOT + ")+)")
_REVERSED_QUOTED = re.compile("(" + _HS + '{0,2})("[^"\\n]{1,64}")')
_REVERSED_WRITTEN_DOT = (
    "(?:" + _HS + "*" + _CLOSERS + _HS + "*(?:tod|tniop|\\.)" + _HS + "*" + _OPENERS + _HS + "*"
    "|" + _HS + "+(?:tod|tniop)" + _HS + "+|" + _DOT + ")"
)
_REVERSED_WRITTEN_LOCAL = re.compile(
    "(" + _HS + "*)(" + _REVERSED_ATOM + "+(?:" + _REVERSED_WRITTEN_DOT + _REVERSED_ATOM + "+)*)",
    re.IGNORECASE,
)
"""Local parts are read right to left from the at-sign, on the reversed text before it: one
anchored match, as long as the name, instead of a search from every position to its left."""
_DOMAIN = re.compile("(" + _HS + "{0,2})((?:" + _LABEL + _DOT + ")+(" + _TLD + "))" + _DOMAIN_END)
_WRITTEN_DOMAIN = re.compile(
    _HS
    + "*([\\w\\-"
    + _INSIDE
    + "]+(?:"
    + _ANY_DOT
    + "[\\w\\-"
    + _INSIDE
    + "]+)*"
    + _ANY_DOT
    + LOOSE_TLD_PATTERN
    + ")"
    + _DOMAIN_END
    + "(?![.．｡。][^\\W_])",
    re.IGNORECASE,
)
_WRITTEN_DOT_RE = re.compile(_WRITTEN_DOT, re.IGNORECASE)
_INVISIBLE_RE = re.compile("[" + INVISIBLE + "]")
_LEADING_JUNK = re.compile(
    "^(?:[.\\-'’+" + INVISIBLE + "]|(?:[cdjlmnst]|qu)['’](?=\\w))+", re.IGNORECASE
)
_LOCAL_CHAR = re.compile("[\\w+\\-.'’%" + _INSIDE + "]")
_WIDE_TO_ASCII = {0xFF01 + offset: 0x21 + offset for offset in range(0x5E)}
_SIGN_TO_ASCII = str.maketrans({**_WIDE_TO_ASCII, 0xFE6B: "@", 0xFF61: ".", 0x3002: "."})
_NOT_A_NAME = frozenset(
    [
        "look",
        "looking",
        "looked",
        "meet",
        "meeting",
        "see",
        "seen",
        "arrive",
        "arrived",
        "be",
        "is",
        "are",
        "was",
        "were",
        "me",
        "us",
        "him",
        "her",
        "them",
        "it",
        "that",
        "this",
        "here",
        "there",
        "we",
        "i",
        "you",
        "they",
        "and",
        "or",
        "not",
        "only",
        "just",
        "even",
        "all",
        "up",
        "out",
        "back",
        "home",
        "stay",
        "stayed",
        "work",
        "works",
        "working",
        "available",
        "live",
        "lives",
        "living",
    ]
)
_WINDOW_SLACK = 16
_SPACES = " \t\u00a0\u202f\u2007"


def find_emails(text: str) -> list[Finding]:
    """Every address in `text`, in order, none overlapping."""
    findings: list[Finding] = []
    last_end = 0
    for start, end in _anchors(text):
        if start < last_end:
            continue
        finding = _read_address(text, start, end)
        if finding is not None:
            findings.append(finding)
            last_end = finding.end
    return findings


def _anchors(text: str) -> list[tuple[int, int]]:
    """Spans of the signs and words that may stand for an at-sign, in order of position."""
    spans = []
    for pattern in _ANCHORS:
        spans.extend(match.span() for match in pattern.finditer(text))
    spans.extend((match.start() - 1, match.end()) for match in _LOWER_AROBASE.finditer(text))
    if "＠" in text or "﹫" in text:
        spans.extend(match.span() for match in _WIDE_ANCHOR.finditer(text))
    spans.sort()
    return spans


def _read_address(text: str, start: int, end: int) -> Finding | None:
    core = text[start:end]
    bracketed = _brackets_around(text, start, end)
    if bracketed is not None:
        return _read_written(text, *bracketed, bare_at=False)
    if core in AT_SIGNS or core == "%40":
        return _read_signed(text, start, end)
    if not _between_spaces(text, start, end):
        return None
    return _read_written(text, start, end, bare_at=core.lower() == "at")


def _brackets_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of `[at]`, `( @ )`, `{arobase}`... around the word or sign at start:end."""
    before = start
    while before > 0 and text[before - 1] in _SPACES:
        before -= 1
    after = end
    while after < len(text) and text[after] in _SPACES:
        after += 1
    if before == 0 or after == len(text):
        return None
    if text[before - 1] not in "[({<" or text[after] not in "])}>":
        return None
    return before - 1, after + 1


def _read_signed(text: str, at_start: int, at_end: int) -> Finding | None:
    """`local@domain`, possibly with a space around the sign or written dots in the domain."""
    domain = _DOMAIN.match(text, at_end, at_end + MAX_DOMAIN_LENGTH + _WINDOW_SLACK)
    written = None
    if domain is None:
        written = _WRITTEN_DOMAIN.match(text, at_end, at_end + 2 * MAX_DOMAIN_LENGTH)
        if written is None:
            return None
    local = _local_before(text, at_start)
    if local is None:
        return None
    local_start, local_raw, space_before = local
    spaced = bool(space_before) or bool(domain and domain.group(1))
    if domain is not None and (not spaced or _plausible_spaced(text, domain)):
        domain_raw, end = domain.group(2), domain.end()
    else:
        written = written or _WRITTEN_DOMAIN.match(text, at_end, at_end + 2 * MAX_DOMAIN_LENGTH)
        if written is None or (spaced and text.startswith("/", written.end())):
            return None
        domain_raw, end = written.group(1), written.end()
    if not _domain_end_is_free(text, end):
        return None
    fediverse = not spaced and _is_fediverse(text, local_start)
    start = local_start - 1 if fediverse else local_start
    return _finding(text, start, end, local_raw, domain_raw, "@" if fediverse else "")


def _read_written(text: str, at_start: int, at_end: int, *, bare_at: bool) -> Finding | None:
    """`jean [at] exemple [dot] fr`, `jean arobase exemple point fr`, `jean at exemple dot fr`."""
    domain = _WRITTEN_DOMAIN.match(text, at_end, at_end + 2 * MAX_DOMAIN_LENGTH)
    if domain is None or not _domain_end_is_free(text, domain.end()):
        return None
    domain_raw = domain.group(1)
    if bare_at and _WRITTEN_DOT_RE.search(domain_raw) is None:
        return None
    local = _read_backwards(_REVERSED_WRITTEN_LOCAL, text, at_start, 2 * MAX_LOCAL_LENGTH)
    if local is None:
        return None
    local_start, local_raw = _strip_leading_junk(*local[:2])
    if not local_raw or (bare_at and local_raw.lower() in _NOT_A_NAME):
        return None
    return _finding(text, local_start, domain.end(), local_raw, domain_raw, "")


def _local_before(text: str, at_start: int) -> tuple[int, str, str] | None:
    """The local part that ends at the at-sign: (start, raw text, space before the sign)."""
    probe = at_start
    while probe > 0 and text[probe - 1] in _SPACES:
        probe -= 1
    quoted = probe > 0 and text[probe - 1] == '"'
    pattern = _REVERSED_QUOTED if quoted else _REVERSED_LOCAL
    local = _read_backwards(pattern, text, at_start, MAX_LOCAL_LENGTH + _WINDOW_SLACK)
    if local is None:
        return None
    start, raw = _strip_leading_junk(*local[:2])
    if not raw or not any(char.isalnum() for char in raw):
        return None
    return start, raw, local[2]


def _read_backwards(
    pattern: re.Pattern[str], text: str, end: int, limit: int
) -> tuple[int, str, str] | None:
    """Matches a reversed pattern leftwards from `end`: (start, text read, spaces skipped).

    A name that fills the whole window and goes on beyond it is too long: no match.
    """
    window = max(0, end - limit)
    match = pattern.match(text[window:end][::-1])
    if match is None:
        return None
    start = end - match.end()
    if start == window and window > 0 and _LOCAL_CHAR.match(text, window - 1) is not None:
        return None
    return start, match.group(2)[::-1], match.group(1)


def _strip_leading_junk(start: int, raw: str) -> tuple[int, str]:
    """Drops what sits before a name: dots, dashes, French elisions (`l'accueil@` is `accueil@`)."""
    if raw.startswith('"'):
        return start, raw
    junk = _LEADING_JUNK.match(raw)
    cut = junk.end() if junk else 0
    return start + cut, raw[cut:]


def _between_spaces(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in _SPACES and text[end] in _SPACES


def _plausible_spaced(text: str, domain: re.Match[str]) -> bool:
    """`jean @ exemple.fr` is an address; `slides @ example.com/deck` and `x @ np.linalg` aren't."""
    return is_known_tld(_clean(domain.group(3))) and not text.startswith("/", domain.end())


def _domain_end_is_free(text: str, end: int) -> bool:
    """Rejects a call `x@np.dot(` and an SSH remote `git@github.com:org/repo`."""
    following = text[end : end + 2]
    if following.startswith("("):
        return False
    return not (
        len(following) == 2
        and following[0] == ":"
        and (following[1].isalnum() or following[1] in "/~")
    )


def _is_fediverse(text: str, local_start: int) -> bool:
    if local_start == 0 or text[local_start - 1] not in AT_SIGNS:
        return False
    return local_start == 1 or _LOCAL_CHAR.match(text, local_start - 2) is None


def _finding(
    text: str, start: int, end: int, local_raw: str, domain_raw: str, prefix: str
) -> Finding | None:
    local = _clean(local_raw)
    domain = _clean(domain_raw).lower()
    if len(local) > MAX_LOCAL_LENGTH or len(domain) > MAX_DOMAIN_LENGTH:
        return None
    if text.startswith("_", end) and not local_raw.startswith('"'):
        stripped = len(local) - len(local.lstrip("_"))
        start, local = start + stripped, local[stripped:]
    value = unicodedata.normalize("NFC", f"{prefix}{local}@{domain}")
    return Finding("email", start, end, value)


def _clean(raw: str) -> str:
    """Undoes what hides an address: invisible characters, written dots, `%2B`, wide forms."""
    plain = _WRITTEN_DOT_RE.sub(".", _INVISIBLE_RE.sub("", raw))
    return unquote(plain).translate(_SIGN_TO_ASCII)
