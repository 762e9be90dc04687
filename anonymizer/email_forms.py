"""How people type the pieces of an address: regex fragments shared by the e-mail readers.

Each fragment comes in two directions: domains are read left to right from the at-sign, local
parts right to left on the reversed text (see `emails`), so every form of a dot has a mirror.
"""

from __future__ import annotations

BLANKS = " \t\u00a0\u2007\u2009\u200a\u202f\u205f"
"""Spaces people leave (or a word processor puts) around an at-sign or a dot: ordinary, tab,
no-break, figure, thin, hair, narrow no-break, medium mathematical."""
INVISIBLE = "\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
MARKS = (
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e31-\u0e3a\u0e47-\u0e4e\u0eb1-\u0ebc\u0ec8-\u0ecd"
    "\u0f18-\u0fbc\u102b-\u103e\u1056-\u109d\u17b4-\u17d3"
)
"""Combining marks (a decomposed `é`, Hebrew and Arabic points, the vowel signs of Indic, Thai,
Tibetan, Myanmar and Khmer scripts) are inside a name, though `\\w` does not match them. The
Indic blocks are taken whole but for the danda (U+0964-0965), which ends a sentence."""
INSIDE = INVISIBLE + MARKS
AT_SIGNS = "@＠﹫"
DOT_SIGNS = ".．｡。"

HS = "[" + BLANKS + "]"
NEWLINE = "(?:\\r\\n?|\\n)"
"""CRLF, LF, or a lone CR (old Mac exports)."""
BREAK = HS + "*" + NEWLINE + HS + "*"
AFTER_SIGN = HS + "*(?:" + NEWLINE + HS + "*)?"
"""Blanks, and at most one line break, after an at-sign."""
"""A line break, with the blanks an editor leaves around it."""
OPENERS = "[\\[\\(\\{<]"
CLOSERS = "[\\]\\)\\}>]"

SIGN_AT = "(?:[@＠﹫]|%(?:25)*40|&(?:#0*64|#[xX]0*40|commat);)"
"""An at-sign as a character, percent-encoded (once or more) or as an HTML reference."""
DOT = "(?:[.．｡。]|%(?:25)*2[eE]|&(?:#0*46|#[xX]0*2[eE]|period);)"
REVERSED_DOT = "(?:[.．｡。]|[eE]2(?:52)*%|;(?:640*|[eE]20*[xX])#&|;doirep&)"

LABEL_CHAR = "[\\w\\-" + INSIDE + "]"
_HYPHEN_BREAK = "(?:(?<=-)" + NEWLINE + LABEL_CHAR + "++)*"
"""A label goes on across a line break right after one of its hyphens (the loop is unrolled:
a class repeated is much faster than an alternation repeated)."""
LABEL = "[\\w" + INSIDE + "]" + LABEL_CHAR + "*+" + _HYPHEN_BREAK
WRITTEN_LABEL = LABEL_CHAR + "+" + _HYPHEN_BREAK
"""Not possessive: a written dot may be made of hyphens and words (`exemple-dot-fr`)."""
TLD = "(?:xn--[a-zA-Z0-9\\-]+|(?:[^\\W\\d_]|[" + INSIDE + "]){2,63})"
DOMAIN_END = "(?![^\\W_]|[\\-" + INSIDE + "])"

_DOT_WORDS = ("dot", "point")
_BRACKET_DOTS = ("d", "p")
"""Inside brackets a dot may also be a single letter: `exemple (d) fr`, `exemple [p] fr`."""


def _words(words: tuple[str, ...], *, reverse: bool = False) -> str:
    return "(?:" + "|".join(word[::-1] if reverse else word for word in words) + ")"


def _written_dot(dot: str, opener: str, closer: str, *, reverse: bool) -> str:
    words = _words(_DOT_WORDS, reverse=reverse)
    bracketed = "(?:" + _words(_DOT_WORDS + _BRACKET_DOTS, reverse=reverse) + "|" + dot + ")"
    if reverse:
        spaced = [HS + "*" + dot + HS + "+", dot]
    else:
        spaced = [HS + "+" + dot + HS + "*", dot + HS + "+", BREAK + dot + HS + "*", dot + BREAK]
    forms = [
        HS + "*" + opener + HS + "*" + bracketed + HS + "*" + closer + HS + "*",
        HS + "+" + words + HS + "+",
        HS + "*-" + words + "-" + HS + "*",
        *spaced,
    ]
    return "(?:" + "|".join(forms) + ")"


WRITTEN_DOT = _written_dot(DOT, OPENERS, CLOSERS, reverse=False)
"""A dot in words or brackets, with a blank or a line break around it. Read from right to
left, in a local part, a blank must come before the dot: `merci. jean@` is not `merci.jean@`."""
REVERSED_WRITTEN_DOT = _written_dot(REVERSED_DOT, CLOSERS, OPENERS, reverse=True)
ANY_DOT = "(?:" + WRITTEN_DOT + "|" + DOT + ")"

REVERSED_ATOM = (
    "(?:[0-9A-Fa-f]{2}(?:52)*%|;[0-9]{2,5}#&|;[0-9A-Fa-f]{2,4}[xX]#&|(?:\\n\\r?|\\r)-(?=\\w)"
    "|[\\w+\\-'’" + INSIDE + "])"
)
"""A character of a local part, read right to left: itself, percent-encoded (UTF-8 included,
`h%C3%A9l%C3%A8ne`), an HTML reference (`&#106;`), or a hyphen before a line break."""
NOT_IN_A_LOCAL_PART = "%(?:25)*+(?!2[bBdDeE]|5[fF])[0-7][0-9A-Fa-f]"
"""An encoded ASCII sign that ends what comes before the local part (`?email%3Dgwen%40...`)."""

IP_LITERAL = (
    "\\[(?:[Ii][Pp][Vv]6:[0-9A-Fa-f:.]+|\\d{1,3}(?:\\.\\d{1,3}){3})\\]"
    "|\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\w\\-]|\\.\\w)"
)
"""A domain that is an address literal: `[192.0.2.1]`, `[IPv6:2001:db8::1]`, bare `192.0.2.1`."""

LETTER = "[^\\W\\d_]"
_AFTER_LABEL = [
    DOT + "(?:" + AFTER_SIGN + LETTER + "|(?:(?>" + LABEL + ")" + DOT + ")+" + LETTER + ")",
    HS
    + "*+(?:"
    + OPENERS
    + "|"
    + NEWLINE
    + HS
    + "*"
    + DOT
    + "|(?<=["
    + BLANKS
    + "])(?:(?i:dot|point)|"
    + DOT
    + "))",
]
DOMAIN_AHEAD = (
    "(?="
    + AFTER_SIGN
    + CLOSERS
    + "?"
    + HS
    + "*(?:(?>"
    + LABEL
    + ")(?:"
    + "|".join(_AFTER_LABEL)
    + ")|\\[(?:[Ii][Pp][Vv]6:|\\d)|\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d))"
)
"""What must follow an anchor: a dotted name ending in a letter, a name and a written, spaced
or broken dot, or an IP literal. Each label is read once (atomic groups), and alternatives
that open alike are grouped: this lookahead runs at every at-sign of the text."""
WORD_AHEAD = (
    "(?=["
    + BLANKS
    + "\\]\\)\\}>]++(?>"
    + LABEL_CHAR
    + "+)(?:"
    + DOT
    + LETTER
    + "|"
    + HS
    + "*+(?:"
    + OPENERS
    + "|(?<=["
    + BLANKS
    + "])(?:"
    + DOT
    + "|(?i:dot|point)"
    + HS
    + "))))"
)
"""What must follow a word for the at-sign: a blank or a closing bracket, then a name and a
dot (glued, written, spaced). Leaner than `DOMAIN_AHEAD`: it runs at every `à` of French."""
