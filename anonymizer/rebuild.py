"""A new document built from the redacted content of another: what a purged pad becomes.

Redacting a Yjs document in place hides removed text but cannot change its structure: a deleted
map entry keeps its key, a root type keeps its name, an XML element its tag, a sub-document its
guid, and all of these sit in the encoded state that is stored and sent to every new client.
So the purge does not patch the old document: it reads every shared type of it and writes the
redacted content into a fresh Doc, with redacted keys, root names, tags and attribute names and
values, and no sub-document. Nothing of the old structure, and no deleted item, is carried over.

The walk is iterative (a stack of source and target types) and stops at `max_depth`: deeper
types and values are dropped and counted as `nested`, so that no content a client sent makes the
purge fail. Each shared type is created empty in its parent first, then filled, so building the
copy never recurses either.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer.document import SHARED_TYPES, SharedType, attribute_pairs, named_roots
from anonymizer.findings import add_counts, count
from anonymizer.values import Redactor, redact_value_with

_Work = list[tuple[SharedType, SharedType, int]]


def copy_roots(
    source: Doc[SharedType],
    target: Doc[SharedType],
    redact: Redactor,
    max_depth: int,
    skip: str | None = None,
) -> dict[str, int]:
    """Write the redacted content of every root of `source` but `skip` into `target`, under
    redacted names; counts per kind removed (and `nested`, the types and values dropped past
    `max_depth`, and `binary`, binary values, which notes have no use for and which could hold
    anything)."""
    counts = count([])
    counts["nested"] = counts["binary"] = 0
    with source.transaction(), target.transaction():
        work: _Work = []
        names = set(dict(target.items()))
        for name, root in named_roots(source):
            if name == skip:
                continue
            clean_name = _unique(_redact(name, redact, counts), names)
            names.add(clean_name)
            work.append((root, target.get(clean_name, type=type(root)), 1))
        while work:
            shared, copy, depth = work.pop()
            _fill(shared, copy, depth, max_depth, redact, counts, work)
    for extra in ("nested", "binary"):
        if not counts[extra]:
            del counts[extra]
    return counts


def _fill(
    source: SharedType,
    target: SharedType,
    depth: int,
    max_depth: int,
    redact: Redactor,
    counts: dict[str, int],
    work: _Work,
) -> None:
    """Copy one shared type's own content into `target`; queue its shared children.

    `target` is always a new shared type of the class of `source` (see `child`): the asserts
    say so to the type checker."""

    def child(value: SharedType) -> SharedType | None:
        if depth + 1 > max_depth:
            counts["nested"] += 1
            return None
        if isinstance(value, XmlElement):
            return XmlElement(_redact(value.tag or "", redact, counts))
        return type(value)()

    if isinstance(source, Text | XmlText):
        assert isinstance(target, Text | XmlText)
        _copy_text(source, target, depth, max_depth, redact, counts)
    if isinstance(source, XmlElement | XmlText):
        assert isinstance(target, XmlElement | XmlText)
        for name, value in attribute_pairs(source):
            clean_name = _redact(name, redact, counts)
            target.attributes[clean_name] = _value(value, depth, max_depth, redact, counts)
    if isinstance(source, Map):
        assert isinstance(target, Map)
        keys: set[str] = set()
        for key, value in list(source.items()):
            clean_key = _unique(_redact(key, redact, counts), keys)
            keys.add(clean_key)
            if isinstance(value, SHARED_TYPES):
                empty = child(value)
                if empty is not None:
                    target[clean_key] = empty
                    work.append((value, target[clean_key], depth + 1))
            elif _plain_value(value, counts):
                target[clean_key] = _value(value, depth, max_depth, redact, counts)
    if isinstance(source, Array):
        assert isinstance(target, Array)
        for value in list(source):
            if isinstance(value, SHARED_TYPES):
                empty = child(value)
                if empty is not None:
                    target.append(empty)
                    work.append((value, target[len(target) - 1], depth + 1))
            elif _plain_value(value, counts):
                target.append(_value(value, depth, max_depth, redact, counts))
    if isinstance(source, XmlFragment | XmlElement):
        assert isinstance(target, XmlFragment | XmlElement)
        for node in list(source.children):
            empty = child(node)
            if empty is not None:
                if not isinstance(empty, XmlElement | XmlText):  # as pycrdt's append would
                    raise TypeError(f"Cannot add value to XML: {empty!r}")
                work.append((node, target.children.append(empty), depth + 1))


def _copy_text(
    source: Text | XmlText,
    target: Text | XmlText,
    depth: int,
    max_depth: int,
    redact: Redactor,
    counts: dict[str, int],
) -> None:
    """Text chunk by chunk, an embedded shared type as its plain value; formatting is applied
    once all of it is in (inserted beside formatted text, plain text would inherit it)."""
    position = 0
    formats = []
    for content, attributes in source.diff():
        start = position
        if isinstance(content, str):
            clean = _redact(content, redact, counts)
            target.insert(position, clean)
            position += len(clean.encode())
        else:
            if isinstance(content, SHARED_TYPES):
                content = _plain(content, depth + 1, max_depth, counts)
            target.insert_embed(position, _value(content, depth, max_depth, redact, counts))
            position += 1
        clean_attributes = _value(attributes, depth, max_depth, redact, counts)
        if clean_attributes and position > start:
            formats.append((start, position, clean_attributes))
    for start, end, clean_attributes in formats:
        target.format(start, end, clean_attributes)


def _plain(shared: SharedType, depth: int, max_depth: int, counts: dict[str, int]) -> Any:
    """A shared type as plain data, iteratively, None past `max_depth`."""
    if depth > max_depth:
        counts["nested"] += 1
        return None
    top: dict[str, Any] = {}
    work: list[tuple[Any, Any, Any, int]] = [(shared, top, "value", depth)]
    while work:
        value, parent, slot, level = work.pop()
        if isinstance(value, Text | XmlText | XmlElement | XmlFragment):
            parent[slot] = str(value) if level <= max_depth else None
        elif isinstance(value, Map | Array):
            items = list(value.items()) if isinstance(value, Map) else list(enumerate(value))
            plain: Any = {} if isinstance(value, Map) else [None] * len(items)
            parent[slot] = plain
            for key, item in items:
                if level + 1 > max_depth:
                    counts["nested"] += 1
                else:
                    work.append((item, plain, key, level + 1))
        elif not isinstance(value, Doc | bytes | bytearray):
            parent[slot] = value
    return top.get("value")


def _plain_value(value: Any, counts: dict[str, int]) -> bool:
    """Whether a value is copied: not a sub-document (its guid could be anything), not
    binary (counted)."""
    if isinstance(value, bytes | bytearray):
        counts["binary"] += 1
        return False
    return not isinstance(value, Doc)


def _value(value: Any, depth: int, max_depth: int, redact: Redactor, counts: dict[str, int]) -> Any:
    """A redacted JSON-like value, or None when it nests past `max_depth` or holds binary
    (counted)."""
    deepest, binary = _measure(value)
    if binary:
        counts["binary"] += 1
        return None
    if deepest + depth > max_depth:
        counts["nested"] += 1
        return None
    clean, found = redact_value_with(value, redact)
    add_counts(counts, found)
    return clean


def _measure(value: Any) -> tuple[int, bool]:
    """How deep dicts and lists nest in `value`, and whether it holds binary; iteratively."""
    deepest = 0
    work = [(value, 0)]
    while work:
        item, level = work.pop()
        deepest = max(deepest, level)
        if isinstance(item, bytes | bytearray):
            return deepest, True
        if isinstance(item, dict):
            work.extend((inner, level + 1) for inner in item.values())
        elif isinstance(item, list | tuple):
            work.extend((inner, level + 1) for inner in item)
    return deepest, False


def _redact(text: str, redact: Redactor, counts: dict[str, int]) -> str:
    clean, found = redact(text)
    add_counts(counts, found)
    return clean


def _unique(name: str, taken: set[str]) -> str:
    """`name`, numbered when two redacted names would collide ("[adresse retirée] 2")."""
    if name not in taken:
        return name
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}"
