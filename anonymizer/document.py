"""Redact a pycrdt document in place: every shared type it holds, in one transaction.

Walks the roots ("content" first, then by name; a root known only from remote updates gets its
kind from `roots`), and inside them maps, arrays, texts, XML fragments, elements, texts and
attributes, embeds and formatting attributes, and JSON values at any depth. Text is edited by
deleting each finding's range and inserting the marker there, never by replacing the whole
text, so that concurrent edits elsewhere in the same text survive the merge. Past
`MAX_SEPARATE_EDITS` findings in one plain text, the span from the first finding to the last is
replaced in one edit instead: yrs copies a block's string each time it splits it, so k separate
edits in a text of n bytes cost k * n (21 s for 6,000 addresses in 1 MB), one edit costs n.
The server purges a frozen pad, where no concurrent edit can be lost.

pycrdt indexes a Text in UTF-8 bytes (an embed counts 1), Python strings in code points: the
walker converts. Sub-documents are separate documents, redacted on their own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer.findings import Markers, add_counts, count
from anonymizer.names import NamesPlan
from anonymizer.roots import root_kinds
from anonymizer.text import find
from anonymizer.values import redact_value

SharedType = Text | Map[Any] | Array[Any] | XmlFragment | XmlElement | XmlText
"""A shared type of any kind; a map's or an array's values are any JSON value or shared type."""
SHARED_TYPES = (Text, Map, Array, XmlFragment, XmlElement, XmlText)

MAIN_TEXT = "content"
"""The document's main Y.Text (Markdown), read first."""
MAX_SEPARATE_EDITS = 64
EMBED = "\ufffc"
"""Stands for an embed in the text that `find` reads: it separates, and matches nothing."""


_ROOT_TYPES: dict[str, type[Text | Map[Any] | Array[Any] | XmlFragment]] = {
    "text": Text,
    "map": Map,
    "array": Array,
    "xml": XmlFragment,
}


def redact_doc(
    doc: Doc[SharedType], markers: Markers | None = None, origin: Any = None
) -> dict[str, int]:
    """Redacts every shared type of `doc` in place, in one transaction; counts per kind.

    `origin` tags the transaction (the server uses it to tell a purge from a client's edit).
    """
    counts = count([])
    with doc.transaction(origin=origin):
        for root in shared_roots(doc):
            add_counts(counts, _redact_shared(root, markers))
    return counts


def shared_roots(doc: Doc[SharedType]) -> list[SharedType]:
    """The document's root types, typed, "content" first then by name.

    Must run inside a write transaction when some roots are untyped: typing a root is a local
    change of view (it produces no update) but pycrdt runs it as a write.
    """
    return [root for _, root in named_roots(doc)]


def named_roots(doc: Doc[SharedType]) -> list[tuple[str, SharedType]]:
    """(name, typed root) of every root `shared_roots` gives, in the same order."""
    roots: dict[str, SharedType | None] = dict(doc.items())  # pycrdt gives None when untyped
    untyped = [name for name, root in roots.items() if root is None]
    if untyped:
        kinds = root_kinds(doc.get_update())
        for name in untyped:
            kind = kinds.get(name)
            roots[name] = doc.get(name, type=_ROOT_TYPES[kind]) if kind is not None else None
    names = sorted(roots, key=lambda name: (name != MAIN_TEXT, name))
    return [(name, root) for name in names if (root := roots[name]) is not None]


def _redact_shared(shared: SharedType, markers: Markers | None) -> dict[str, int]:
    if isinstance(shared, Text | XmlText):
        counts = _redact_text(shared, markers)
        if isinstance(shared, XmlText):
            add_counts(counts, _redact_attributes(shared, markers))
        return counts
    if isinstance(shared, Map):
        return _redact_map(shared, markers)
    if isinstance(shared, Array):
        return _redact_array(shared, markers)
    counts = count([])
    if isinstance(shared, XmlElement):
        add_counts(counts, _redact_attributes(shared, markers))
    if isinstance(shared, XmlElement | XmlFragment):
        for child in list(shared.children):
            add_counts(counts, _redact_shared(child, markers))
    return counts


class TextView:
    """A Text's chunks as one Python string, with the way back to pycrdt indices."""

    def __init__(self, chunks: list[tuple[Any, dict[str, Any] | None]]) -> None:
        self.chunks = chunks
        self.starts: list[int] = []
        self.offsets: list[int] = []
        pieces = []
        start = offset = 0
        for content, _ in chunks:
            self.starts.append(start)
            self.offsets.append(offset)
            piece = content if isinstance(content, str) else EMBED
            pieces.append(piece)
            start += len(piece)
            offset += len(piece.encode()) if isinstance(content, str) else 1
        self.text = "".join(pieces)

    def offset(self, index: int) -> int:
        """The pycrdt index of the Python index `index` (a chunk boundary or inside a string)."""
        chunk = max(bisect_right(self.starts, index) - 1, 0)
        inside = self.text[self.starts[chunk] : index]
        return self.offsets[chunk] + len(inside.encode())

    def attributes_at(self, index: int) -> dict[str, Any] | None:
        return self.chunks[max(bisect_right(self.starts, index) - 1, 0)][1]

    def embeds(self) -> Iterator[tuple[int, Any, dict[str, Any] | None]]:
        """(pycrdt index, embed, attributes) of each embed."""
        for offset, (content, attributes) in zip(self.offsets, self.chunks, strict=True):
            if not isinstance(content, str):
                yield offset, content, attributes


def redact_text(text: Text, markers: Markers | None) -> dict[str, int]:
    """Redact one Text in place, leaving the shared types embedded in it alone (the purge
    removes those whole)."""
    return _redact_text(text, markers, nested=False)


def _redact_text(
    shared: Text | XmlText, markers: Markers | None, nested: bool = True
) -> dict[str, int]:
    view = TextView(shared.diff())
    counts = _redact_embeds_and_formats(shared, view, markers, nested)
    findings = find(view.text)
    add_counts(counts, count(findings))
    chosen = markers or Markers()
    edits = [(found.start, found.end, chosen.for_kind(found.kind)) for found in findings]
    apply_edits(shared, view, edits, markers)
    return counts


def redact_text_with(
    text: Text, plan_for: Callable[[str], NamesPlan], markers: Markers | None
) -> tuple[NamesPlan, dict[str, int]]:
    """Redact one Text in place by a plan computed on its text (`anonymizer.names`: lists,
    addresses, phones and names), as edits: the purge's way with the notes, so that every
    client's copy converges on them. Embeds and formatting attributes are redacted first, as
    `redact_text` does; the counts are theirs (the plan counts the rest)."""
    view = TextView(text.diff())
    counts = _redact_embeds_and_formats(text, view, markers, nested=False)
    plan = plan_for(view.text)
    apply_edits(text, view, plan.edits(), markers)
    return plan, counts


def content_text(doc: Doc[SharedType]) -> str:
    """The main text as the purge reads it (an embed stands as `EMBED`); "" without one."""
    with doc.transaction():
        main = dict(named_roots(doc)).get(MAIN_TEXT)
        return TextView(main.diff()).text if isinstance(main, Text) else ""


def apply_edits(
    shared: Text | XmlText,
    view: TextView,
    edits: Sequence[tuple[int, int, str]],
    markers: Markers | None,
) -> None:
    """Carry out `edits` ((start, end, replacement) in `view.text`, sorted and disjoint) as
    Yjs edits: each range deleted and its replacement inserted there, with the attributes it
    had (redacted), from the last to the first; past `MAX_SEPARATE_EDITS` in a plain text,
    the span from the first to the last in one edit (see the module)."""
    if not edits:
        return
    plain = not any(
        attributes or not isinstance(content, str) for content, attributes in view.chunks
    )
    if plain and len(edits) > MAX_SEPARATE_EDITS:
        first, last = edits[0][0], edits[-1][1]
        pieces = []
        position = first
        for start, end, replacement in edits:
            pieces += [view.text[position:start], replacement]
            position = end
        offset = view.offset(first)
        del shared[offset : view.offset(last)]
        shared.insert(offset, "".join(pieces))
        return
    for start, end, replacement in reversed(edits):
        offset = view.offset(start)
        attributes, _ = redact_value(view.attributes_at(start), markers)
        del shared[offset : view.offset(end)]
        shared.insert(offset, replacement, attributes)


def _redact_embeds_and_formats(
    shared: Text | XmlText, view: TextView, markers: Markers | None, nested: bool
) -> dict[str, int]:
    """Embeds (shared or JSON) and formatting attributes (`{"link": "mailto:..."}`).

    Run before the text edits: replacing an embed keeps every index, formatting moves none.
    """
    counts = count([])
    for offset, embed, attributes in view.embeds():
        if isinstance(embed, SHARED_TYPES):
            if nested:
                add_counts(counts, _redact_shared(embed, markers))
            continue
        clean, found = redact_value(embed, markers)
        if any(found.values()):
            add_counts(counts, found)
            del shared[offset : offset + 1]
            shared.insert_embed(offset, clean, attributes)
    for index, (content, attributes) in enumerate(view.chunks):
        if not attributes:
            continue
        clean, found = redact_value(attributes, markers)
        if any(found.values()):
            add_counts(counts, found)
            length = len(content.encode()) if isinstance(content, str) else 1
            removed = {name: None for name in attributes if name not in clean}
            shared.format(view.offsets[index], view.offsets[index] + length, {**removed, **clean})
    return counts


def _redact_map(shared: Map[Any], markers: Markers | None) -> dict[str, int]:
    counts = count([])
    for key, value in list(shared.items()):
        clean_key, found = redact_value(key, markers)
        add_counts(counts, found)
        if clean_key != key:
            del shared[key]
            clean_value, found = redact_value(_plain(value), markers)
            add_counts(counts, found)
            shared[clean_key] = clean_value
        elif isinstance(value, SHARED_TYPES):
            add_counts(counts, _redact_shared(value, markers))
        else:
            clean_value, found = redact_value(value, markers)
            if any(found.values()):
                add_counts(counts, found)
                shared[key] = clean_value
    return counts


def _redact_array(shared: Array[Any], markers: Markers | None) -> dict[str, int]:
    counts = count([])
    for index, value in enumerate(list(shared)):
        if isinstance(value, SHARED_TYPES):
            add_counts(counts, _redact_shared(value, markers))
            continue
        clean_value, found = redact_value(value, markers)
        if any(found.values()):
            add_counts(counts, found)
            del shared[index]
            shared.insert(index, clean_value)
    return counts


def attribute_pairs(shared: XmlElement | XmlText) -> list[tuple[str, Any]]:
    """The (name, value) pairs of an XML element's or text's attributes.

    Through `__iter__`: pycrdt (0.14) annotates `XmlAttributesView.__iter__` as returning an
    iterable rather than an iterator, so the view does not pass for an `Iterable` with a type
    checker, though iterating it works (`__iter__` does return an iterator)."""
    return list(shared.attributes.__iter__())


def _redact_attributes(shared: XmlElement | XmlText, markers: Markers | None) -> dict[str, int]:
    counts = count([])
    for name, value in attribute_pairs(shared):
        clean_name, found_in_name = redact_value(name, markers)
        clean_value, found_in_value = redact_value(value, markers)
        if clean_name != name:
            del shared.attributes[name]
        if clean_name != name or clean_value != value:
            add_counts(counts, found_in_name)
            add_counts(counts, found_in_value)
            shared.attributes[clean_name] = clean_value
    return counts


def _plain(value: Any) -> Any:
    """A shared value as plain data, to move it under a redacted key (it is copied, not moved:
    Yjs cannot re-parent a shared type). XML becomes its serialised string."""
    if isinstance(value, XmlFragment | XmlElement | XmlText):
        return str(value)
    if isinstance(value, SHARED_TYPES):
        return value.to_py()
    return value
