"""Top-level domains that make a loosely written address believable.

A plain `name@domain.tld` is accepted with any alphabetic TLD (new ones appear every year). The
looser forms (`jean at exemple dot fr`, `jean @ exemple.fr`) collide with ordinary prose, so their
last label must be a TLD people really use: every two-letter country code, the generic,
regional and popular new ones of `tlds.json`, any punycode (`xn--`) or non-Latin TLD.

`tlds.json` is the one list of generic TLDs in Skrid: its `links` group is also what makes a
bare domain a web link (`exports.urls`, and the browser's `client/src/links.js`).
"""

from __future__ import annotations

import json
from importlib import resources


def _tld_groups() -> dict[str, list[str]]:
    """`tlds.json`: the generic TLDs, in two groups, also read by `exports.urls` and the client."""
    groups: dict[str, list[str]] = json.loads(
        resources.files("anonymizer").joinpath("tlds.json").read_text("utf-8")
    )
    return groups


_GROUPS = _tld_groups()
LINK_TLDS: tuple[str, ...] = tuple(_GROUPS["links"])
"""The generic TLDs that also make a bare domain a web link (`exports.urls`)."""
GENERIC_TLDS = frozenset([*LINK_TLDS, *_GROUPS["addresses_only"]])
"""Every generic TLD trusted in loose forms: both groups of `tlds.json`."""


FILE_EXTENSIONS = frozenset(
    [
        "js",
        "mjs",
        "cjs",
        "jsx",
        "ts",
        "tsx",
        "json",
        "css",
        "scss",
        "html",
        "htm",
        "vue",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "avif",
        "ico",
        "lock",
        "yml",
        "yaml",
        "toml",
        "txt",
        "map",
        "wasm",
    ]
)
"""Endings of file names that no registry sells as TLDs: `vue@next.js`, `logo@dark.svg` are code."""


LOOSE_TLD_PATTERN = (
    "(?:"
    + "|".join(sorted(GENERIC_TLDS, key=len, reverse=True))
    + r"|xn--[a-z0-9\-]+|[a-z]{2}|[^\W\d_a-z]{2,63})"
)
"""The same rule as `is_known_tld`, for regexes compiled with IGNORECASE (lets them backtrack)."""


def is_known_tld(label: str) -> bool:
    """True for a TLD trusted in loose forms (see the module docstring)."""
    lowered = label.lower()
    if len(lowered) == 2 and lowered.isascii() and lowered.isalpha():
        return True
    if lowered.startswith("xn--") or not lowered.isascii():
        return True
    return lowered in GENERIC_TLDS
