"""Find e-mail (and fediverse) addresses in text, however people type them.

The scan is anchored: one fast regex per form finds the few places that could be the middle of
an address (an at-sign, `%40`, `&#64;`, `[at]`, ` chez `...), then small anchored regexes read
the local part to the left and the domain to the right. Every anchor pattern opens on a literal,
which the regex engine skips to quickly: text without an anchor costs a few fast passes, which
is what keeps the anonymiser above its speed target. The pieces of the patterns are in
`email_forms`.

Forms and the evidence each one needs:
- `local@domain.tld` (also `＠`, `﹫`, `%40`, `%2540`, `&#64;`, `&commat;`, `%2E` or `&#46;` for
  a dot, invisible characters inside, combining marks): any alphabetic TLD; an IP literal
  (`[192.0.2.1]`, `[IPv6:2001:db8::1]`, bare `192.0.2.1`) with the at-sign glued.
- a blank or a line break around the at-sign, a dot written or spaced (` point `, `[dot]`,
  `-dot-`, `(d)`, `exemple . fr`), a label broken after a hyphen: a TLD from `tlds`, no `/`
  after the domain (`slides @ example.com/deck` is a link), no capitalised TLD after a spaced
  dot (`jean@exemple. Merci`), no short word for a TLD if the sentence goes on
  (`chez Orange point de vente`: see `prose`).
- a bare word for the at-sign (` at `, ` chez `, ` à `): a written dot, or a known TLD, and a
  name before it that is not a word of prose (`meet at example.com` stays); `[at]`, `(a)`,
  `{chez}`, `-at-`, `arobase` are unambiguous and need no more.
- `@alice@mastodon.social`: the leading at-sign is part of the finding and of its value.
- `jean@exemple.fr.Merci`: a capitalised (or unknown) last label after a known TLD is the next
  sentence, glued: the domain ends at the TLD.
Package versions (`pkg@1.2.3`, `lib@1.0.0-beta.1`), image sizes (`logo@2x.png`), file names
(`vue@next.js`), handles
(`@ReseauCoherence`), decorators and URL paths (`medium.com/@author`) are not addresses.

A finding is `certain` when its text is a plain address, `probable` when it was rebuilt from
blanks, breaks, words, encodings or obfuscations.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple
from urllib.parse import unquote

from anonymizer.email_forms import (
    AFTER_SIGN,
    ANY_DOT,
    AT_SIGNS,
    BLANKS,
    DOMAIN_AHEAD,
    DOMAIN_END,
    DOT,
    HS,
    INSIDE,
    INVISIBLE,
    IP_LITERAL,
    LABEL,
    MARKS,
    NOT_IN_A_LOCAL_PART,
    REVERSED_ATOM,
    REVERSED_DOT,
    REVERSED_WRITTEN_DOT,
    SIGN_AT,
    TLD,
    WORD_AHEAD,
    WRITTEN_DOT,
    WRITTEN_LABEL,
)
from anonymizer.findings import Confidence, Finding
from anonymizer.prose import NOT_A_NAME, WORDY_TLDS
from anonymizer.tlds import FILE_EXTENSIONS, LOOSE_TLD_PATTERN, is_known_tld

MAX_LOCAL_LENGTH = 64
"""Longest local part accepted (RFC 5321), counted without invisible characters."""
MAX_DOMAIN_LENGTH = 253
"""Longest domain accepted (RFC 1035), counted without invisible characters."""

_BEFORE_WORD = "[" + BLANKS + "\\[\\(\\{<]"


class _Anchor(NamedTuple):
    """A pattern for one form of at-sign; `shift` moves the span's start left (the pattern
    opens on a tail), and a text without `gate` in it skips the pattern's scan."""

    pattern: re.Pattern[str]
    shift: int = 0
    gate: str | None = None


def _word_anchor(literal: str, word: str, *, shift: int = 0, gate: str | None = None) -> _Anchor:
    """A word standing for the at-sign, found by `literal` (its tail, or itself)."""
    pattern = re.compile(literal + "(?<=" + _BEFORE_WORD + word + ")" + WORD_AHEAD)
    return _Anchor(pattern, shift, gate)


_ANCHORS = (
    _Anchor(re.compile("@" + DOMAIN_AHEAD)),
    _Anchor(re.compile("%(?:25)*40" + DOMAIN_AHEAD), gate="%"),
    _Anchor(re.compile("&(?:#0*64|#[xX]0*40|commat);" + DOMAIN_AHEAD), gate="&"),
    _Anchor(re.compile("a\\)(?<=\\(a\\))" + DOMAIN_AHEAD), shift=1, gate="(a)"),
    _Anchor(re.compile("a\\](?<=\\[a\\])" + DOMAIN_AHEAD), shift=1, gate="[a]"),
    _Anchor(re.compile("＠" + DOMAIN_AHEAD), gate="＠"),
    _Anchor(re.compile("﹫" + DOMAIN_AHEAD), gate="﹫"),
    _Anchor(
        re.compile(
            "at(?:(?<=" + _BEFORE_WORD + "at)" + WORD_AHEAD + "|(?<=-at)-(?=[\\w" + BLANKS + "]))"
        )
    ),
    _word_anchor("A[Tt]", "A[Tt]"),
    _word_anchor("AROBASE", "AROBASE", gate="AROBASE"),
    _word_anchor("robase", "[aA]robase", shift=1, gate="robase"),
    _word_anchor("chez", "chez", gate="z"),
    _word_anchor("CHEZ", "CHEZ", gate="Z"),
    _word_anchor("à", "à"),
)
"""Each pattern opens on a literal, which the regex engine finds fast: see the module docs.
`arobase` and `Arobase` are found by their tail, so that one scan serves both, and `-at-` by
the scan for `at` (its span is then `at-`). Every pass over the text costs, a gate too: a gate
is one character where it can be (`z` for `chez`)."""
_SIGN_AT_RE = re.compile(SIGN_AT)

_REVERSED_GAP = "(?:" + HS + "*(?:\\n\\r?|\\r)" + HS + "*|" + HS + "{0,2})"
_REVERSED_LOCAL = re.compile(
    "("
    + _REVERSED_GAP
    + ")((?:"
    + REVERSED_ATOM
    + "|"
    + HS
    + "*"
    + REVERSED_DOT
    + HS
    + "+(?="
    + REVERSED_ATOM
    + ")|(?:\\n\\r?|\\r)"
    + REVERSED_DOT
    + "(?=[a-zß-ÿ0-9])|"
    + REVERSED_DOT
    + ")+)"
)
"""A local part may have a blank before a dot (`jean .dupont@`), and a line break after a dot
when the name before it is in lowercase (`pierre.` / `le-du@`), not the end of a sentence."""
_REVERSED_QUOTED = re.compile("(" + HS + '{0,2})("[^"\\n]{1,64}")')
_REVERSED_WRITTEN_LOCAL = re.compile(
    "(" + HS + "*)(" + REVERSED_ATOM + "+(?:" + REVERSED_WRITTEN_DOT + REVERSED_ATOM + "+)*)",
    re.IGNORECASE,
)
"""Local parts are read right to left from the at-sign, on the reversed text before it: one
anchored match, as long as the name, instead of a search from every position to its left."""
_DOMAIN = re.compile("(" + AFTER_SIGN + ")((?:" + LABEL + DOT + ")+(" + TLD + "))" + DOMAIN_END)
_WRITTEN_DOMAIN = re.compile(
    AFTER_SIGN
    + "("
    + WRITTEN_LABEL
    + "(?:"
    + ANY_DOT
    + WRITTEN_LABEL
    + ")*"
    + ANY_DOT
    + LOOSE_TLD_PATTERN
    + ")"
    + DOMAIN_END
    + "(?![.．｡。][^\\W_])",
    re.IGNORECASE,
)
_IP_DOMAIN = re.compile(IP_LITERAL)
_IP_STARTS = frozenset("[0123456789")
_CODE_DOMAIN = re.compile("v?\\d+\\.\\d+|\\d+(?:[.,]\\d+)?x\\.")
"""Versions (`pkg@1.2.3`, `lib@1.0.0-beta.1`) and image sizes (`logo@2x.png`)."""
_LAST_LABEL = re.compile("(.?)([\\w\\-" + INSIDE + "]+)$", re.DOTALL)
_REMOTE_PATH = re.compile(":(?:[/~]|[\\w.\\-]+/)")
_FURTHER = re.compile(ANY_DOT)
"""After a plain domain, what may make it go on in a written form."""
_SENTENCE_GOES_ON = re.compile(HS + "+[^\\W\\d_]")
_WRITTEN_DOT_RE = re.compile(WRITTEN_DOT, re.IGNORECASE)
_INVISIBLE_RE = re.compile("[" + INVISIBLE + "]")
_BLANK_RE = re.compile("[" + BLANKS + "\\r\\n]")
_HIDDEN = re.compile("[" + INVISIBLE + BLANKS + "\\r\\n\\[\\(\\{<%&]|-(?i:dot|point)-")
"""Whatever `_clean` has to undo, but the wide forms (a translation, always done)."""
_LEADING_JUNK = re.compile(
    "(?:[.\\-'’+" + INVISIBLE + "]|(?:[cdjlmnst]|qu)['’](?=\\w))+", re.IGNORECASE
)
_NOT_LOCAL = re.compile(NOT_IN_A_LOCAL_PART)
_LOCAL_CHAR = re.compile("[\\w+\\-.'’%" + INSIDE + "]")
_PLAIN_ADDRESS = re.compile(
    '@?(?:"[^"\\n]+"|[\\w+\\-.\'’' + MARKS + "]+)@(?:[\\w\\-." + MARKS + "]+|\\[[^\\]\\s]+\\])"
)
_WIDE_TO_ASCII: dict[int, int | str] = {0xFF01 + offset: 0x21 + offset for offset in range(0x5E)}
_SIGN_TO_ASCII = str.maketrans({**_WIDE_TO_ASCII, 0xFE6B: "@", 0xFF61: ".", 0x3002: "."})
_WINDOW_SLACK = 16
_MAX_DECODING_ROUNDS = 3
"""`%252540` is encoded three times; nobody encodes more."""


def find_emails(text: str) -> list[Finding]:
    """Every address in `text`, in order, none overlapping."""
    findings: list[Finding] = []
    last_end = 0
    for start, end in _anchors(text):
        if start < last_end:
            continue
        finding = _read_address(text, start, end)
        if finding is not None and finding.start >= last_end:
            findings.append(finding)
            last_end = finding.end
    return findings


def _anchors(text: str) -> list[tuple[int, int]]:
    """Spans of the signs and words that may stand for an at-sign, in order of position."""
    spans: list[tuple[int, int]] = []
    for anchor in _ANCHORS:
        if anchor.gate is None or anchor.gate in text:
            spans.extend(
                (match.start() - anchor.shift, match.end())
                for match in anchor.pattern.finditer(text)
            )
    spans.sort()
    return spans


def _read_address(text: str, start: int, end: int) -> Finding | None:
    core = text[start:end]
    if core[0] in "([":
        return _read_written(text, start, end, bare_at=False)
    if core == "at-":
        return _read_written(text, start - 1, end, bare_at=False)
    bracketed = _brackets_around(text, start, end)
    if bracketed is not None:
        return _read_written(text, *bracketed, bare_at=False)
    if _SIGN_AT_RE.fullmatch(core) is not None:
        return _read_signed(text, start, end)
    if not _between_spaces(text, start, end):
        return None
    return _read_written(text, start, end, bare_at=core.lower() != "arobase")


def _brackets_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of `[at]`, `( @ )`, `{arobase}`... around the word or sign at start:end."""
    before = start
    while before > 0 and text[before - 1] in BLANKS:
        before -= 1
    after = end
    while after < len(text) and text[after] in BLANKS:
        after += 1
    if before == 0 or after == len(text):
        return None
    if text[before - 1] not in "[({<" or text[after] not in "])}>":
        return None
    return before - 1, after + 1


def _read_signed(text: str, at_start: int, at_end: int) -> Finding | None:
    """`local@domain`, possibly with blanks or breaks around, written dots or an IP literal."""
    ip = _IP_DOMAIN.match(text, at_end) if text[at_end : at_end + 1] in _IP_STARTS else None
    local = _local_before(text, at_start)
    if local is None:
        return None
    local_start, local_raw, space_before = local
    if ip is not None:
        if space_before or not _is_ip(ip.group()):
            return None
        return _finding(text, local_start, ip.end(), local_raw, ip.group(), "")
    spaced = bool(space_before) or _BLANK_RE.search(local_raw) is not None
    domain = _signed_domain(text, at_end, spaced)
    if domain is None:
        return None
    domain_raw, end, spaced = domain
    if not _domain_end_is_free(text, end) or _is_code(domain_raw):
        return None
    fediverse = not spaced and _is_fediverse(text, local_start)
    start = local_start - 1 if fediverse else local_start
    return _finding(text, start, end, local_raw, domain_raw, "@" if fediverse else "")


def _signed_domain(text: str, at_end: int, spaced: bool) -> tuple[str, int, bool] | None:
    """(raw domain, end, whether the address is spaced) after a sign: the plain reading, or
    the written one where it goes further (`jean@mail.exemple . fr`, `jean@exemple.co . uk`)."""
    strict = _DOMAIN.match(text, at_end, at_end + MAX_DOMAIN_LENGTH + _WINDOW_SLACK)
    if strict is not None:
        spaced = spaced or bool(strict.group(1))
        plausible = not spaced or _plausible_spaced(text, strict)
        if plausible and not _FURTHER.match(text, strict.end()):
            return (*_without_glued_word(strict), spaced)
    written = _WRITTEN_DOMAIN.match(text, at_end, at_end + 2 * MAX_DOMAIN_LENGTH)
    further = written is not None and (strict is None or written.end() > strict.end())
    if written is not None and further and _written_domain_is_believable(text, written, spaced):
        return written.group(1), written.end(), True
    if strict is not None and (not spaced or _plausible_spaced(text, strict)):
        return (*_without_glued_word(strict), spaced)
    return None


def _without_glued_word(domain: re.Match[str]) -> tuple[str, int]:
    """`exemple.fr.Merci` ends at `fr`: after a lowercase domain ending in a known TLD, a label
    with capitals (`Merci`, `PS`) or an unknown one is the next sentence, glued to the dot."""
    raw, tld = domain.group(2), domain.group(3)
    if tld.islower() and is_known_tld(tld):
        return raw, domain.end()
    cut = raw.rfind(".", 0, len(raw) - len(tld))
    head = raw[:cut]
    previous = head[head.rfind(".") + 1 :]
    glued = not tld.islower() or not is_known_tld(tld)
    if cut <= 0 or "." not in head or not glued or not head.islower():
        return raw, domain.end()
    if not is_known_tld(previous):
        return raw, domain.end()
    return head, domain.start(2) + cut


def _written_domain_is_believable(text: str, domain: re.Match[str], spaced: bool) -> bool:
    """Rejects a sentence read as a TLD: `exemple. Merci`, `exemple point de vente`, a link."""
    before, tld = _last_label(domain.group(1))
    if before and before in BLANKS + "\r\n" and tld[:1].isupper() and not tld.isupper():
        return False
    if tld.lower() in WORDY_TLDS and _SENTENCE_GOES_ON.match(text, domain.end()):
        return False
    return not (spaced and text.startswith("/", domain.end()))


def _last_label(domain_raw: str) -> tuple[str, str]:
    """(the character before the last label, the last label) of a domain as typed."""
    match = _LAST_LABEL.search(domain_raw)
    return ("", domain_raw) if match is None else (match.group(1), match.group(2))


def _read_written(text: str, at_start: int, at_end: int, *, bare_at: bool) -> Finding | None:
    """`jean [at] exemple [dot] fr`, `jean arobase exemple point fr`, `jean chez exemple.fr`."""
    domain = _WRITTEN_DOMAIN.match(text, at_end, at_end + 2 * MAX_DOMAIN_LENGTH)
    if domain is None or not _domain_end_is_free(text, domain.end()):
        return None
    domain_raw = domain.group(1)
    if not _written_domain_is_believable(text, domain, spaced=True):
        return None
    plain_dots = _WRITTEN_DOT_RE.search(domain_raw) is None
    if bare_at and plain_dots and not is_known_tld(_last_label(domain_raw)[1]):
        return None
    local = _read_backwards(_REVERSED_WRITTEN_LOCAL, text, at_start, 2 * MAX_LOCAL_LENGTH)
    if local is None:
        return None
    local_start, local_raw = _strip_leading_junk(*local[:2])
    if not local_raw or (bare_at and local_raw.lower() in NOT_A_NAME):
        return None
    return _finding(text, local_start, domain.end(), local_raw, domain_raw, "")


def _local_before(text: str, at_start: int) -> tuple[int, str, str] | None:
    """The local part that ends at the at-sign: (start, raw text, blanks before the sign)."""
    probe = at_start
    while probe > 0 and text[probe - 1] in BLANKS:
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
    """Drops what sits before a name: dots, dashes, French elisions (`l'accueil@` is `accueil@`),
    and in a URL what comes up to an encoded sign (`mailto%3Afanny%40...` is `fanny@`)."""
    if raw.startswith('"'):
        return start, raw
    escaped = 0
    if "%" in raw:
        for escaped_sign in _NOT_LOCAL.finditer(raw):
            escaped = escaped_sign.end()
    junk = _LEADING_JUNK.match(raw, escaped)
    cut = junk.end() if junk else escaped
    return start + cut, raw[cut:]


def _between_spaces(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in BLANKS and text[end] in BLANKS


def _plausible_spaced(text: str, domain: re.Match[str]) -> bool:
    """`jean @ exemple.fr` is an address; `slides @ example.com/deck` and `x @ np.linalg` aren't."""
    return is_known_tld(_clean(domain.group(3))) and not text.startswith("/", domain.end())


def _domain_end_is_free(text: str, end: int) -> bool:
    """Rejects a call `x@np.dot(`, an SSH remote `git@github.com:org/repo`, and a name that
    goes on into an address (`à jean.le@exemple.fr` is not `à@jean.le`). A colon and a word
    (`presse@quimper.bzh:merci`) is a missing space."""
    following = text[end : end + 1]
    if following == ":":
        return _REMOTE_PATH.match(text, end) is None
    return not following or following not in "(" + AT_SIGNS


def _is_fediverse(text: str, local_start: int) -> bool:
    if local_start == 0 or text[local_start - 1] not in AT_SIGNS:
        return False
    return local_start == 1 or _LOCAL_CHAR.match(text, local_start - 2) is None


def _is_code(domain_raw: str) -> bool:
    """A version (`1.2.3`), an image size (`2x.png`) or a file name (`next.js`), not a domain."""
    if _CODE_DOMAIN.match(domain_raw) is not None:
        return True
    return domain_raw[domain_raw.rfind(".") + 1 :].lower() in FILE_EXTENSIONS


def _is_ip(literal: str) -> bool:
    """An IPv6 literal carries its tag; an IPv4 one has four numbers up to 255."""
    inner = literal.strip("[]")
    if ":" in inner:
        return True
    return all(int(number) <= 255 for number in inner.split("."))


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
    return Finding("email", start, end, value, _confidence(text[start:end]))


def _confidence(raw: str) -> Confidence:
    return "certain" if _PLAIN_ADDRESS.fullmatch(raw) is not None else "probable"


def _clean(raw: str) -> str:
    """Undoes what hides an address: invisible characters, written dots, blanks and breaks,
    HTML references, percent-encoding (repeated), wide forms."""
    if _HIDDEN.search(raw) is None:
        return raw.translate(_SIGN_TO_ASCII)
    plain = _INVISIBLE_RE.sub("", raw)
    if not plain.startswith('"'):
        plain = _BLANK_RE.sub("", _WRITTEN_DOT_RE.sub(".", plain))
    if "&" in plain:
        plain = html.unescape(plain)
    for _ in range(_MAX_DECODING_ROUNDS):
        if "%" not in plain:
            break
        plain = unquote(plain)
    return plain.translate(_SIGN_TO_ASCII)
