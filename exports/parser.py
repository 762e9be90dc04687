"""The Markdown dialect of Skrid's exports: CommonMark, tables and linkify, raw HTML off.

markdown-it stops reading a block nested deeper than its limit and silently drops the rest of
the document. Exports must never lose notes, so `parse` reports such a document as too deep and
the renderers then show it as typed instead of formatting it.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from exports.urls import LinkFinder

MAX_DEPTH = 32
"""Nested blocks formatted: a quote counts one, a list level two (the list and its item)."""

_CONTAINERS = frozenset({"blockquote_open", "list_item_open"})


class TooDeep(ValueError):
    """The document nests blocks deeper than the renderer's `max_depth`."""


def markdown_parser(max_depth: int = MAX_DEPTH) -> MarkdownIt:
    """A fresh parser: markdown-it and linkify-it keep state while they work, so none is shared
    between threads."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "maxNesting": max_depth + 1})
    parser.enable(["table", "linkify"])
    parser.linkify = LinkFinder()
    return parser


def markdown_tokens(text: str, max_depth: int = MAX_DEPTH) -> list[Token] | None:
    """The tokens of `text`, or None when it nests too deep to format. Parsing is the costly
    part of every rendering: a ZIP renders text and HTML from one parse (`PadDocument.markdown`)."""
    try:
        return parse(markdown_parser(max_depth), text)
    except TooDeep:
        return None


def parse(parser: MarkdownIt, text: str) -> list[Token]:
    """The tokens of `text`; raises `TooDeep` when markdown-it would have dropped part of it."""
    tokens = parser.parse(text)
    limit = parser.options.maxNesting - 1
    if any(token.type in _CONTAINERS and token.level >= limit for token in tokens):
        raise TooDeep(f"blocks nested deeper than {limit}")
    return tokens
