"""Finding and normalising web links in pad text.

One finder serves both the links index and the HTML renderer, so that a page never shows as a
link something the index leaves out, nor the reverse.

The rule for a bare domain (written without `http://`): its last label must be a known
top-level domain, that is linkify-it's default set (every two-letter country code, `com`,
`org`, `net`, `info`, `edu`, `gov`...) plus `LINK_TLDS`, generic domains common among French
associations and public bodies (the `links` group of `anonymizer/tlds.json`, the one list of
TLDs). The full IANA list is not used: brand domains such as `.dupont` would turn `jean.dupont`
into a link. Country codes that are far more often file extensions in notes
(`FILE_EXTENSIONS`: `notes.md`, `script.py`) count only after `www.`;
`rapport.pdf` is never a link (`pdf` is no domain). E-mail addresses are not links: neither the
part before `@` nor the domain after it. Only `http` and `https` links count (`ftp:`, `mailto:`
are not recognised), and backticks count as spaces, so that a link in inline code is found.

The lists these rules use are in `link_rules.json`, which the browser's twin of this module
(`client/src/links.js`) bundles too: change the rules there, for both.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import TypedDict
from urllib.parse import urlsplit, urlunsplit

from linkify_it import LinkifyIt
from linkify_it.main import Match

from anonymizer.tlds import LINK_TLDS


class _LinkRules(TypedDict):
    description: str
    disabled_schemas: list[str]
    file_extensions: list[str]
    tracking_prefixes: list[str]
    tracking_parameters: list[str]
    trailing_punctuation: str
    closing_brackets: dict[str, str]


def _link_rules() -> _LinkRules:
    """`link_rules.json`: the rules shared with the browser's twin, `client/src/links.js`."""
    rules: _LinkRules = json.loads(
        resources.files("exports").joinpath("link_rules.json").read_text("utf-8")
    )
    return rules


_RULES = _link_rules()
DISABLED_SCHEMAS = tuple(_RULES["disabled_schemas"])
FILE_EXTENSIONS = frozenset(_RULES["file_extensions"])
TRACKING_PREFIXES = tuple(_RULES["tracking_prefixes"])
TRACKING_PARAMETERS = frozenset(_RULES["tracking_parameters"])
TRAILING_PUNCTUATION = _RULES["trailing_punctuation"]
_CLOSERS = _RULES["closing_brackets"]


_MAYBE_LINK = re.compile(
    r"//|www\.|(?<![\w@.-])[^\s.@]+(?:\.[^\s.@]+)*\.[^\W\d_]{2}", re.IGNORECASE
)
"""A cheap test that a text may hold a link (a scheme, `www.`, or a word with a dot followed by
two letters, as in a domain, not following `@`, `.`, `-` or a letter, where linkify-it does not
start a link either: the domain of an e-mail address never passes). linkify-it's own matching is
slow, and most lines of notes hold no link; lines that hold e-mail addresses are common."""


class LinkFinder(LinkifyIt):
    """linkify-it with Skrid's rule: web links only, bare domains under `https://`."""

    def __init__(self) -> None:
        super().__init__(schemas=dict.fromkeys(DISABLED_SCHEMAS), options={"fuzzy_email": False})
        self.tlds(list(LINK_TLDS), keep_old=True)

    def test(self, text: str) -> bool:
        return bool(_MAYBE_LINK.search(text)) and super().test(text)

    def match(self, text: str) -> list[Match] | None:
        """The links of `text`, without file names, with trailing punctuation trimmed."""
        if not _MAYBE_LINK.search(text):
            return None
        spaced = text.replace("`", " ")
        found = [
            _trimmed(link) for link in super().match(spaced) or [] if _is_web_link(link, spaced)
        ]
        return found or None

    def match_at_start(self, text: str) -> Match | None:
        """The link `text` starts with, trimmed: markdown-it asks this for `scheme://` links."""
        link = super().match_at_start(text)
        return _trimmed(link) if link else None

    def normalize(self, match: Match) -> None:
        """Give a bare domain `https://` and a protocol-relative link `https:`."""
        if not match.schema:
            match.url = "https://" + match.url
        elif match.schema == "//":
            match.url = "https:" + match.url


def _is_web_link(link: Match, text: str) -> bool:
    if link.schema:
        return True
    if text.startswith("@", link.last_index):
        return False
    host = urlsplit("https://" + link.raw).hostname or ""
    return host.startswith("www.") or host.rsplit(".", 1)[-1] not in FILE_EXTENSIONS


def _trimmed(link: Match) -> Match:
    """Drop closing punctuation that linkify-it keeps (`:`, `»`, `*`, unbalanced brackets)."""
    cut = len(link.raw)
    while cut and link.raw[cut - 1] in TRAILING_PUNCTUATION:
        char = link.raw[cut - 1]
        opener = _CLOSERS.get(char)
        if opener and link.raw.count(opener, 0, cut) >= link.raw.count(char, 0, cut):
            break
        cut -= 1
    if cut == len(link.raw):
        return link
    dropped = len(link.raw) - cut
    link.raw = link.text = link.raw[:cut]
    link.url = link.url[:-dropped]
    link.last_index -= dropped
    return link


def normalise_url(url: str) -> str:
    """The form of an absolute web link used to tell two citations apart.

    Lowercases scheme and host, drops credentials, a lone `/` path, tracking parameters and an
    empty query or fragment; keeps everything else byte for byte (no re-encoding), so that the
    link still leads to the same page.
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2].lower()
    path = "" if parts.path == "/" else parts.path
    kept = [pair for pair in parts.query.split("&") if pair and not _tracks(pair)]
    return urlunsplit((parts.scheme.lower(), host, path, "&".join(kept), parts.fragment))


def _tracks(pair: str) -> bool:
    name = pair.partition("=")[0].lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)
