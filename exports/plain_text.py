"""Markdown to plain text that reads well as it is: no markup left but the conventions of
plain-text mail (underlined titles, `- ` and `1. ` lists, `> ` quotes, indented code).

A link keeps its label and shows its target in brackets, unless the label is the address
itself; an image becomes its description and address. A document nested too deep to format
comes out as typed (see `parser`).
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from exports.parser import MAX_DEPTH, markdown_tokens

CODE_INDENT = "    "
QUOTE_PREFIX = "> "
RULE = "----"
UNDERLINES = {"h1": "=", "h2": "-"}
COLUMN_GAP = "  "


def markdown_to_text(text: str, max_depth: int = MAX_DEPTH) -> str:
    return tokens_to_text(markdown_tokens(text, max_depth), text)


def tokens_to_text(tokens: list[Token] | None, text: str) -> str:
    """`markdown_to_text` from tokens already parsed (None: too deep, kept as typed)."""
    if tokens is None:
        return text
    body = _blocks(SyntaxTreeNode(tokens).children, "\n\n")
    return "".join(line.rstrip() + "\n" for line in body.split("\n")) if body else ""


def _blocks(nodes: Iterable[SyntaxTreeNode], separator: str) -> str:
    return separator.join(_block(node) for node in nodes)


def _block(node: SyntaxTreeNode) -> str:
    if node.type == "paragraph":
        return _inline(node.children[0])
    if node.type == "heading":
        title = _inline(node.children[0])
        underline = UNDERLINES.get(node.tag)
        if underline:
            width = max(len(line) for line in title.splitlines() or [""])
            return f"{title}\n{underline * width}"
        return title
    if node.type in ("bullet_list", "ordered_list"):
        return _list(node)
    if node.type == "blockquote":
        return _prefixed(_blocks(node.children, "\n\n"), QUOTE_PREFIX, QUOTE_PREFIX)
    if node.type in ("fence", "code_block"):
        return _prefixed(node.content.rstrip("\n"), CODE_INDENT, CODE_INDENT)
    if node.type == "table":
        return _table(node)
    if node.type == "hr":
        return RULE
    return node.content


def _list(node: SyntaxTreeNode) -> str:
    tight = any(child.hidden for item in node.children for child in item.children)
    separator = "\n" if tight else "\n\n"
    first = int(str(node.attrs.get("start", 1)))
    items = []
    for number, item in enumerate(node.children, start=first):
        marker = f"{number}. " if node.type == "ordered_list" else "- "
        items.append(_prefixed(_blocks(item.children, separator), marker, " " * len(marker)))
    return separator.join(items)


def _table(node: SyntaxTreeNode) -> str:
    rows = [
        [_inline(cell.children[0]) if cell.children else "" for cell in row.children]
        for section in node.children
        for row in section.children
    ]
    widths = [max(len(cell) for cell in column) for column in zip(*rows, strict=True)]
    rows.insert(1, ["-" * width for width in widths])
    return "\n".join(
        COLUMN_GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    )


def _prefixed(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join(((rest if i else first) + line).rstrip() for i, line in enumerate(lines))


def _inline(node: SyntaxTreeNode) -> str:
    if node.type in ("softbreak", "hardbreak"):
        return "\n"
    if node.type == "link":
        label = _children(node)
        href = str(node.attrs.get("href", ""))
        if node.markup in ("autolink", "linkify") or label == href:
            return label
        return f"{label} ({href})"
    if node.type == "image":
        label = _children(node)
        source = str(node.attrs.get("src", ""))
        return f"{label} ({source})" if label else source
    if node.children:
        return _children(node)
    return node.content


def _children(node: SyntaxTreeNode) -> str:
    return "".join(_inline(child) for child in node.children)
