"""Tell the kind of each root type of a document from its encoded state.

A server Doc gets its root types from remote updates, and pycrdt (0.14) reports a root it has not
been told the type of as `None`: the update names the root but not its kind, which only the
items inside reveal. This module reads a Yjs v1 update (the format of `Doc.get_update()`, read by
`updates`) to see, for each root, what its items hold, and for the purge, which root each item
sits in (`resolve_roots`):

- keyed items (a `parentSub`) only: a `Map`;
- text content (strings, embeds, formats): a `Text`;
- XML elements or texts as children: an `XmlFragment`;
- any other content (JSON values, binary, nested types, sub-documents): an `Array`.

These are the four kinds that pycrdt can attach to a root; a root that Yjs created as an
`XmlElement` or an `XmlText` reads as an `XmlFragment` or a `Text`, which reaches its children or
its text but not its own attributes. A root whose items were all deleted has no kind and
nothing to read.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from anonymizer.updates import (
    ANY,
    BINARY,
    DOC,
    EMBED,
    FORMAT,
    GC,
    JSON,
    SKIP,
    STRING,
    TYPE,
    XML_ELEMENT,
    XML_HOOK,
    Struct,
    read_structs,
)

RootKind = Literal["text", "map", "array", "xml"]

_XML_TYPE_REFS = frozenset({XML_ELEMENT, XML_HOOK, 6})
_TEXT_CONTENT = frozenset({STRING, EMBED, FORMAT})
_VALUE_CONTENT = frozenset({JSON, BINARY, ANY, DOC})


@dataclass
class _Item:
    """What one item tells: its parent (a root name, `_NESTED`, or unknown) and its content."""

    root: str | None
    origins: tuple[tuple[int, int], ...]
    clue: str | None


_NESTED = "\x00nested"
"""Parent of an item inside a nested type: not a root, and not a possible root name."""


def root_kinds(update: bytes) -> dict[str, RootKind]:
    """The kind of every root of the update that holds at least one telling item."""
    evidence: dict[str, set[str]] = {}
    for item, root in _items_and_roots(read_structs(update, max_depth=2**31)):
        if root is not None and item.clue is not None:
            evidence.setdefault(root, set()).add(item.clue)
    return {name: kind for name, seen in evidence.items() if (kind := _kind(seen)) is not None}


def resolve_roots(structs: list[Struct]) -> dict[tuple[int, int], str | None]:
    """For each item, by (client, clock): the root it sits directly in; None when it sits
    inside a nested type, or nothing in the update tells."""
    ids = [(s.client, s.clock) for s in structs if s.content not in (GC, SKIP)]
    return {ident: root for ident, (_, root) in zip(ids, _items_and_roots(structs), strict=True)}


def _items_and_roots(structs: list[Struct]) -> list[tuple[_Item, str | None]]:
    items: dict[int, tuple[list[int], list[_Item]]] = {}
    ordered = []
    for struct in structs:
        item = _item(struct)
        if item is not None:
            starts, read = items.setdefault(struct.client, ([], []))
            starts.append(struct.clock)
            read.append(item)
            ordered.append(item)
    roots = [_resolve_root(item, items) for item in ordered]
    return [
        (item, None if root == _NESTED else root) for item, root in zip(ordered, roots, strict=True)
    ]


def _item(struct: Struct) -> _Item | None:
    """The item a struct is (None for gaps and collected ranges), with its clue."""
    if struct.content in (GC, SKIP):
        return None
    origins = tuple(o for o in (struct.origin, struct.right_origin) if o is not None)
    root = struct.parent if isinstance(struct.parent, str) else None
    if isinstance(struct.parent, tuple):
        root = _NESTED
    clue = _clue(struct)
    if struct.key is not None and clue is not None:
        clue = "keyed"
    return _Item(root, origins, clue)


def _clue(struct: Struct) -> str | None:
    if struct.content in _TEXT_CONTENT:
        return "text"
    if struct.content in _VALUE_CONTENT:
        return "value"
    if struct.content == TYPE:
        return "xml" if struct.type_ref in _XML_TYPE_REFS else "value"
    return None


def _resolve_root(item: _Item, items: dict[int, tuple[list[int], list[_Item]]]) -> str | None:
    """An item without parent info has its origin's parent: follow origins, remember the answer.

    Iterative, so a text typed character by character (one long chain) costs one pass.
    """
    path = []
    current: _Item | None = item
    while current is not None and current.root is None:
        path.append(current)
        current = next(
            (found for origin in current.origins if (found := _item_at(items, origin))), None
        )
    root = None if current is None else current.root
    for walked in path:
        walked.root = root
    return root


def _item_at(
    items: dict[int, tuple[list[int], list[_Item]]], identifier: tuple[int, int]
) -> _Item | None:
    client, clock = identifier
    if client not in items:
        return None
    starts, read = items[client]
    index = bisect_right(starts, clock) - 1
    return read[index] if index >= 0 else None


def _kind(seen: set[str]) -> RootKind | None:
    if "text" in seen:
        return "text"
    if "value" in seen:
        return "array"
    if "xml" in seen:
        return "xml"
    if "keyed" in seen:
        return "map"
    return None
