"""The state a purged pad keeps: its notes redacted, and nothing of the old document's structure.

Redacting a Yjs document in place removes text but not structure: a deleted map entry keeps its
key, a root type its name, an XML element its tag, a sub-document its guid, all in the encoded
state that is stored and sent to every new client. Building a wholly new document would drop
them, but then a client that was offline during the purge and comes back holds items the server
no longer knows: its copy would show its old notes beside the new ones.

So the purged state is made in three steps, on a copy of the document:
1. the main text (`content`) is redacted in place, as edits: every client's copy converges on it
   (the server's purge redacts it by a names plan: lists, addresses, phones and names);
2. the encoded state is rewritten so that the main text's own items are all that is left of the
   old document: every other item (other roots, nested types, map entries, embedded types)
   becomes a collected range (a GC struct: a client id and a clock range, no content, no parent,
   no key) and is added to the delete set, so returning clients delete their copies too; an
   item of the main text that is not text or a JSON embed (an embedded type, a formatting mark,
   whose attribute name is written even when the mark is removed) keeps its place but loses its
   content;
3. the other roots are built anew from their redacted content (`rebuild`), under redacted names,
   by a client id above every one the document has: where a map key is written again, the new
   entry then wins over the old (deleted) one in every copy, as Yjs orders concurrent entries of a
   key by client id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from pycrdt import Doc, Text, write_var_uint

from anonymizer.contacts import strings_of
from anonymizer.document import (
    MAIN_TEXT,
    SharedType,
    named_roots,
    redact_text,
    redact_text_with,
)
from anonymizer.findings import Markers, add_counts, count
from anonymizer.names import Beside, NamesPlan
from anonymizer.rebuild import copy_roots
from anonymizer.roots import resolve_roots
from anonymizer.updates import (
    DELETED,
    EMBED,
    GC,
    SKIP,
    STRING,
    Struct,
    read_state_vector,
    read_update,
)
from anonymizer.values import Redactor, redact_string

_TEXT_CONTENT = frozenset({STRING, DELETED, EMBED})
MAX_CLIENT_ID = 2**53 - 1
"""The largest client id a JavaScript client can read."""


def purged_doc(
    doc: Doc[SharedType], markers: Markers | None, max_depth: int
) -> tuple[Doc[SharedType], dict[str, int]]:
    """The document a purge leaves of `doc` (which is not changed), and what it removed."""
    return purged_from_state(doc.get_update(), markers, max_depth)


def purged_from_state(
    state: bytes, markers: Markers | None, max_depth: int
) -> tuple[Doc[SharedType], dict[str, int]]:
    """`purged_doc` of the document encoded in `state`: from bytes, so that the server can run
    it on a worker thread (a pycrdt Doc stays on the thread that made it)."""
    clean, counts, _, _ = purged_with_plan(state, markers, max_depth, None)
    return clean, counts


def purged_with_plan(
    state: bytes,
    markers: Markers | None,
    max_depth: int,
    plan_for: Callable[[str], NamesPlan] | None,
    beside: Sequence[str] = (),
) -> tuple[Doc[SharedType], dict[str, int], NamesPlan | None, Redactor]:
    """`purged_from_state`, the notes redacted by the plan `plan_for` makes of their text
    (names and personal lists too: `anonymizer.names`), that plan, and what redacts the short
    texts beside the notes (`names.Beside`) as they were; without `plan_for`, addresses and
    phones only, and no plan. Everything else in the document (other roots' names, keys,
    values, tags, attributes) is read with `beside` (the pad's title), so that a name written
    there is found too. The counts add the plan's (not `beside`'s: its caller redacts them)."""
    work: Doc[SharedType] = Doc()
    work.apply_update(state)
    counts = count([])
    plan = None
    redact: Redactor = partial(redact_string, markers=markers)
    with work.transaction(origin="purge"):
        roots = dict(named_roots(work))
        main = roots.get(MAIN_TEXT)
        kept = MAIN_TEXT if isinstance(main, Text) else None
        if plan_for is not None:
            if isinstance(main, Text):
                plan, found = redact_text_with(main, plan_for, markers)
                add_counts(counts, found)
            else:
                plan = plan_for("")
            add_counts(counts, plan.counts())
            others = [
                text
                for name, root in roots.items()
                if name != kept
                for text in (name, *strings_of(root))
            ]
            redact = Beside((plan, plan_for("\n\n".join((*beside, *others))))).redact
        elif isinstance(main, Text):
            add_counts(counts, redact_text(main, markers))
    clients = read_state_vector(work.get_state())
    clean: Doc[SharedType] = Doc(client_id=min(max(clients, default=0) + 1, MAX_CLIENT_ID))
    clean.apply_update(keep_only_text(work.get_update(), kept))
    add_counts(counts, copy_roots(work, clean, redact, max_depth, skip=kept))
    return clean, counts, plan, redact


def keep_only_text(update: bytes, root: str | None) -> bytes:
    """`update` with every item that is not text of the root `root` collected (see above)."""
    parsed = read_update(update, max_depth=2**31)
    owners = resolve_roots(parsed.structs)
    out = bytearray()
    deletes = list(parsed.deletes)
    groups: list[list[Struct]] = []
    for struct in parsed.structs:
        if groups and groups[-1][0].client == struct.client:
            groups[-1].append(struct)
        else:
            groups.append([struct])
    out += write_var_uint(len(groups))
    for group in groups:
        out += write_var_uint(len(group))
        out += write_var_uint(group[0].client)
        out += write_var_uint(group[0].clock)
        for struct in group:
            out += _rewritten(update, struct, owners.get((struct.client, struct.clock)), root)
            if struct.content not in (GC, SKIP, DELETED) and not _kept(struct, owners, root):
                deletes.append((struct.client, struct.clock, struct.length))
    _write_deletes(out, deletes)
    return bytes(out)


def _kept(struct: Struct, owners: dict[tuple[int, int], str | None], root: str | None) -> bool:
    owner = owners.get((struct.client, struct.clock))
    return owner == root and struct.key is None and struct.content in _TEXT_CONTENT


def _rewritten(update: bytes, struct: Struct, owner: str | None, root: str | None) -> bytes:
    if struct.content in (GC, SKIP):
        return update[struct.start : struct.end]
    if owner == root and root is not None and struct.key is None:
        if struct.content in _TEXT_CONTENT:
            return update[struct.start : struct.end]
        head = bytearray([(update[struct.start] & 0xE0) | DELETED])
        head += update[struct.start + 1 : struct.content_at]
        head += write_var_uint(struct.length)
        return bytes(head)
    out = bytearray([GC])
    out += write_var_uint(struct.length)
    return bytes(out)


def _write_deletes(out: bytearray, deletes: list[tuple[int, int, int]]) -> None:
    """The delete set, ranges merged and sorted per client (as Yjs writes it)."""
    by_client: dict[int, list[tuple[int, int]]] = {}
    for client, clock, length in sorted(deletes):
        ranges = by_client.setdefault(client, [])
        if ranges and clock <= ranges[-1][0] + ranges[-1][1]:
            start, previous = ranges[-1]
            ranges[-1] = (start, max(previous, clock + length - start))
        else:
            ranges.append((clock, length))
    out += write_var_uint(len(by_client))
    for client, ranges in by_client.items():
        out += write_var_uint(client)
        out += write_var_uint(len(ranges))
        for clock, length in ranges:
            out += write_var_uint(clock)
            out += write_var_uint(length)
