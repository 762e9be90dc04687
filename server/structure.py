"""The door for Yjs updates: only whole, well-formed updates of bounded nesting get in.

pycrdt accepts a v2 update read as v1, or a valid update followed by garbage, and would store and
relay those bytes verbatim; and a client can nest maps so deep that any walk of the document
(the purge's first) fails. So every update a client sends is read struct by struct first
(`anonymizer.updates`), and refused whole, before it touches the Doc, when it does not end
exactly where its delete set ends, when a value or a type is nested more than
`max_nesting_depth` deep, when it holds more than `max_update_items` structs (each costs a Python
object to read: a 4 MiB frame of a million one-item clients would hold the event loop for
seconds), or when it builds on an item the pad does not have.

Depth is a property of where an item sits, which an update often does not say: an item that has
an origin takes its origin's parent. So each room keeps, for the items inside nested types only
(none in a pad of plain notes), the depth of their container, and for every type item the depth
it opens; plus, per client, the clock up to which the pad knows its items. An update that refers
to an item neither in it nor known is refused: an honest client builds only on what it got
from the server, and a pending (out-of-order) update could not be placed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pycrdt import Doc, Text

from anonymizer.document import MAIN_TEXT
from anonymizer.updates import (
    GC,
    ID,
    SKIP,
    TYPE,
    Struct,
    TooDeep,
    TooManyStructs,
    UpdateFormatError,
    read_state_vector,
    read_structs,
)

from .errors import FrameTooLarge, InvalidFrame, NestedTooDeep


@dataclass
class _Ranges:
    """Clock ranges of one client's nested items, with the depth of their container."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    depths: list[int] = field(default_factory=list)

    def depth_at(self, clock: int) -> int | None:
        index = bisect_right(self.starts, clock) - 1
        if index >= 0 and clock < self.ends[index]:
            return self.depths[index]
        return None


@dataclass
class Accepted:
    """What a checked update adds to the room's knowledge, recorded once it is applied."""

    known: dict[int, int]
    nested: list[tuple[int, int, int, int]]
    types: dict[ID, int]


class Structure:
    """What the door knows of one pad's document: see the module docstring."""

    def __init__(self, max_depth: int, max_items: int | None = None) -> None:
        self.max_depth = max_depth
        self.max_items = max_items
        self.strict = True
        self.known: dict[int, int] = {}
        self.nested: dict[int, _Ranges] = {}
        self.types: dict[ID, int] = {}

    def check(self, update: bytes) -> Accepted:
        """Read `update` whole; raise InvalidFrame or NestedTooDeep, else what it adds."""
        try:
            structs = read_structs(update, self.max_depth, self.max_items)
        except TooDeep:
            raise NestedTooDeep("a value in the update is nested too deep") from None
        except TooManyStructs as error:
            raise FrameTooLarge(str(error)) from None
        except UpdateFormatError:
            raise InvalidFrame("the Yjs update is not one whole v1 update") from None
        return self._place(structs)

    @classmethod
    def of(cls, doc: Doc, max_depth: int, max_items: int | None = None) -> Structure:
        """What the door must know of a loaded document. A pad of plain notes (one Text and
        no embed) holds no nested item: its state vector is all there is to learn, which costs
        nothing; anything else is read whole (once per load)."""
        structure = cls(max_depth, max_items)
        roots = dict(doc.items())
        if set(roots) <= {MAIN_TEXT}:
            text = doc.get(MAIN_TEXT, type=Text) if roots else None
            if text is None or all(isinstance(chunk, str) for chunk, _ in text.diff()):
                structure.known = read_state_vector(doc.get_state())
                return structure
        structure.load(doc.get_update())
        return structure

    def load(self, state: bytes) -> None:
        """Learn a stored document (trusted: it was checked on its way in, or predates the
        check, in which case nothing is refused for its sake)."""
        structs = list(read_structs(state, max_depth=2**31))
        saved, self.max_depth, self.strict = self.max_depth, 2**31, False
        try:
            self.record(self._place(structs))
        finally:
            self.max_depth, self.strict = saved, True

    def record(self, accepted: Accepted) -> None:
        for client, clock in accepted.known.items():
            if clock > self.known.get(client, 0):
                self.known[client] = clock
        for client, start, end, depth in accepted.nested:
            ranges = self.nested.setdefault(client, _Ranges())
            ranges.starts.append(start)
            ranges.ends.append(end)
            ranges.depths.append(depth)
            if len(ranges.starts) > 1 and ranges.starts[-2] > start:
                order = sorted(range(len(ranges.starts)), key=ranges.starts.__getitem__)
                ranges.starts = [ranges.starts[i] for i in order]
                ranges.ends = [ranges.ends[i] for i in order]
                ranges.depths = [ranges.depths[i] for i in order]
        self.types.update(accepted.types)

    def _place(self, structs: list[Struct]) -> Accepted:
        """The container depth of every item, resolved through origins in one pass per item
        (memoised, so a long chain of typed characters costs one walk)."""
        own: dict[int, list[Struct]] = {}
        for struct in structs:
            own.setdefault(struct.client, []).append(struct)
        starts = {client: [s.clock for s in items] for client, items in own.items()}
        resolved: dict[ID, int] = {}
        types: dict[ID, int] = {}
        nested: list[tuple[int, int, int, int]] = []
        known: dict[int, int] = {}
        for struct in structs:
            if struct.content != SKIP:
                end = struct.clock + struct.length
                known[struct.client] = max(known.get(struct.client, 0), end)
        for struct in structs:
            if struct.content in (GC, SKIP):
                continue
            depth = self._depth(struct, own, starts, resolved, types)
            if depth:
                nested.append((struct.client, struct.clock, struct.clock + struct.length, depth))
            if struct.content == TYPE:
                if depth + 1 > self.max_depth:
                    raise NestedTooDeep("shared types in the update are nested too deep")
                types[(struct.client, struct.clock)] = depth + 1
        return Accepted(known, nested, types)

    def _depth(
        self,
        struct: Struct,
        own: dict[int, list[Struct]],
        starts: dict[int, list[int]],
        resolved: dict[ID, int],
        types: dict[ID, int],
    ) -> int:
        path: list[ID] = []
        current: Struct | None = struct
        depth: int | None = None
        while current is not None:
            ident = (current.client, current.clock)
            if ident in resolved:
                depth = resolved[ident]
                break
            path.append(ident)
            if isinstance(current.parent, str):
                depth = 0
                break
            if isinstance(current.parent, tuple):
                depth = types.get(current.parent)
                if depth is None:
                    depth = self._known_type(current.parent)
                break
            origin = current.origin or current.right_origin
            assert origin is not None
            current = _struct_at(own, starts, origin)
            if current is None:
                depth = self._known_depth(origin)
            elif current.content in (GC, SKIP):
                depth = 0
                break
        assert depth is not None
        for ident in path:
            resolved[ident] = depth
        return depth

    def _known_type(self, ident: ID) -> int:
        depth = self.types.get(ident)
        if depth is None and self.strict:
            raise InvalidFrame("the update refers to a type this pad does not have")
        return depth or 0

    def _known_depth(self, ident: ID) -> int:
        client, clock = ident
        if self.strict and clock >= self.known.get(client, 0):
            raise InvalidFrame("the update builds on content this pad does not have")
        ranges = self.nested.get(client)
        depth = None if ranges is None else ranges.depth_at(clock)
        return depth or 0


def _struct_at(
    own: dict[int, list[Struct]], starts: dict[int, list[int]], ident: ID
) -> Struct | None:
    client, clock = ident
    items = own.get(client)
    if items is None:
        return None
    index = bisect_right(starts[client], clock) - 1
    if index >= 0 and clock < items[index].clock + items[index].length:
        return items[index]
    return None
