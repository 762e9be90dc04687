"""Tell the kind of each root type of a document from its encoded state.

A server Doc gets its root types from remote updates, and pycrdt (0.14) reports a root it has not
been told the type of as `None`: the update names the root but not its kind, which only the
items inside reveal. This module reads a Yjs v1 update (the format of `Doc.get_update()`) just far
enough to see, for each root, what its items hold:

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

RootKind = Literal["text", "map", "array", "xml"]

_GC, _DELETED, _JSON, _BINARY, _STRING, _EMBED, _FORMAT, _TYPE, _ANY, _DOC, _SKIP = range(11)
_XML_ELEMENT, _XML_HOOK, _XML_TEXT = 3, 5, 6
_XML_TYPE_REFS = frozenset({_XML_ELEMENT, _XML_HOOK, _XML_TEXT})
_HAS_ORIGIN, _HAS_RIGHT_ORIGIN, _HAS_PARENT_SUB = 0x80, 0x40, 0x20


class UpdateFormatError(ValueError):
    """The bytes are not a Yjs v1 update this reader understands."""


class _Reader:
    """lib0 decoding: variable-length unsigned integers, strings and `any` values."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def byte(self) -> int:
        if self.position >= len(self.data):
            raise UpdateFormatError("update ends early")
        value = self.data[self.position]
        self.position += 1
        return value

    def uint(self) -> int:
        value = 0
        shift = 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def skip(self, length: int) -> None:
        if self.position + length > len(self.data):
            raise UpdateFormatError("update ends early")
        self.position += length

    def string(self) -> str:
        length = self.uint()
        start = self.position
        self.skip(length)
        return self.data[start : self.position].decode("utf-8", errors="replace")

    def skip_any(self) -> None:
        tag = self.byte()
        if tag in (127, 126, 121, 120):
            return
        if tag == 125:
            while self.byte() >= 0x80:
                pass
        elif tag == 124:
            self.skip(4)
        elif tag in (123, 122):
            self.skip(8)
        elif tag in (119, 116):
            self.skip(self.uint())
        elif tag == 118:
            for _ in range(self.uint()):
                self.skip(self.uint())
                self.skip_any()
        elif tag == 117:
            for _ in range(self.uint()):
                self.skip_any()
        else:
            raise UpdateFormatError(f"unknown value tag {tag}")


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
    reader = _Reader(update)
    items: dict[int, tuple[list[int], list[_Item]]] = {}
    for _ in range(reader.uint()):
        structs = reader.uint()
        client = reader.uint()
        clock = reader.uint()
        starts, read = items.setdefault(client, ([], []))
        for _ in range(structs):
            item, length = _read_struct(reader)
            if item is not None:
                starts.append(clock)
                read.append(item)
            clock += length
    evidence: dict[str, set[str]] = {}
    for _, read in items.values():
        for item in read:
            root = _resolve_root(item, items)
            if root is not None and root != _NESTED and item.clue is not None:
                evidence.setdefault(root, set()).add(item.clue)
    return {name: kind for name, seen in evidence.items() if (kind := _kind(seen)) is not None}


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


def _read_struct(reader: _Reader) -> tuple[_Item | None, int]:
    """One struct: the item it is (None for gaps and collected ranges) and its clock length."""
    info = reader.byte()
    content = info & 0x1F
    if content in (_GC, _SKIP):
        return None, reader.uint()
    origins = []
    if info & _HAS_ORIGIN:
        origins.append((reader.uint(), reader.uint()))
    if info & _HAS_RIGHT_ORIGIN:
        origins.append((reader.uint(), reader.uint()))
    root = None
    if not origins:
        if reader.uint() == 1:
            root = reader.string()
        else:
            reader.uint()
            reader.uint()
            root = _NESTED
        if info & _HAS_PARENT_SUB:
            reader.string()
    clue, length = _read_content(reader, content)
    if info & _HAS_PARENT_SUB and clue is not None:
        clue = "keyed"
    return _Item(root, tuple(origins), clue), length


def _read_content(reader: _Reader, content: int) -> tuple[str | None, int]:
    """Skips an item's content: what it suggests about its parent (None: nothing), its length.

    Lengths count what Yjs clocks count: UTF-16 code units of a string, values of a list.
    """
    if content == _DELETED:
        return None, reader.uint()
    if content == _JSON:
        count = reader.uint()
        for _ in range(count):
            reader.string()
        return "value", count
    if content == _BINARY:
        reader.skip(reader.uint())
        return "value", 1
    if content == _STRING:
        return "text", len(reader.string().encode("utf-16-le")) // 2
    if content == _EMBED:
        reader.string()
        return "text", 1
    if content == _FORMAT:
        reader.string()
        reader.string()
        return "text", 1
    if content == _TYPE:
        type_ref = reader.uint()
        if type_ref in (_XML_ELEMENT, _XML_HOOK):
            reader.string()
        return ("xml" if type_ref in _XML_TYPE_REFS else "value"), 1
    if content == _ANY:
        count = reader.uint()
        for _ in range(count):
            reader.skip_any()
        return "value", count
    if content == _DOC:
        reader.string()
        reader.skip_any()
        return "value", 1
    raise UpdateFormatError(f"unknown content kind {content}")


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
