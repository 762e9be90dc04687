"""Top-level domains that make a loosely written address believable.

A plain `name@domain.tld` is accepted with any alphabetic TLD (new ones appear every year). The
looser forms (`jean at exemple dot fr`, `jean @ exemple.fr`) collide with ordinary prose, so their
last label must be a TLD people really use: every two-letter country code, the generic ones,
the regional and popular new ones below, any punycode (`xn--`) or non-Latin TLD.
"""

from __future__ import annotations

GENERIC_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "name",
        "pro",
        "edu",
        "gov",
        "mil",
        "int",
        "eu",
        "asia",
        "cat",
        "coop",
        "museum",
        "travel",
        "mobi",
        "tel",
        "jobs",
        "aero",
        "app",
        "dev",
        "tech",
        "online",
        "site",
        "website",
        "store",
        "shop",
        "blog",
        "email",
        "link",
        "live",
        "news",
        "cloud",
        "digital",
        "agency",
        "studio",
        "design",
        "media",
        "network",
        "social",
        "team",
        "world",
        "global",
        "group",
        "company",
        "solutions",
        "services",
        "consulting",
        "academy",
        "school",
        "education",
        "university",
        "xyz",
        "top",
        "club",
        "art",
        "page",
        "space",
        "fun",
        "life",
        "love",
        "family",
        "gmbh",
        "ltd",
        "inc",
        "llc",
        "bio",
        "eco",
        "green",
        "earth",
        "ong",
        "ngo",
        "immo",
        "finance",
        "bank",
        "money",
        "health",
        "care",
        "energy",
        "works",
        "zone",
        "today",
        "center",
        "city",
        "town",
        "land",
        "events",
        "community",
        "foundation",
        "institute",
        "international",
        "systems",
        "software",
        "technology",
        "science",
        "ventures",
        "capital",
        "partners",
        "paris",
        "bzh",
        "alsace",
        "corsica",
        "eus",
        "gal",
        "quebec",
        "bayern",
        "berlin",
        "hamburg",
        "wien",
        "london",
        "nyc",
        "tokyo",
        "brussels",
        "swiss",
        "africa",
        "lat",
        "scot",
        "wales",
        "cymru",
        "barcelona",
        "madrid",
        "amsterdam",
        "montreal",
    ]
)


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
