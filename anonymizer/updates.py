"""Read a Yjs v1 update (the format of `Doc.get_update()` and of the y-websocket protocol) struct by
struct, strictly: every byte must be accounted for, and nested values may only go so deep.

Yjs and yrs skip what they do not understand: trailing bytes after a valid update, or a v2 update
read as v1, decode to something, which a server would then store and relay verbatim. Reading the
whole update here, down to its delete set and its last byte, is what lets the server store and
relay only what it decoded. Iterative throughout: an update is untrusted, and a value nested a
thousand deep must cost a refusal, not Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import dataclass

GC, DELETED, JSON, BINARY, STRING, EMBED, FORMAT, TYPE, ANY, DOC, SKIP = range(11)
XML_ELEMENT, XML_HOOK = 3, 5
_HAS_ORIGIN, _HAS_RIGHT_ORIGIN, _HAS_PARENT_SUB = 0x80, 0x40, 0x20
_MAX_VARUINT_BYTES = 8
_MAX_SAFE_INTEGER = 2**53 - 1

ID = tuple[int, int]
"""(client, clock) of an item."""


class UpdateFormatError(ValueError):
    """The bytes are not a Yjs v1 update this reader accepts."""


class TooDeep(UpdateFormatError):
    """A value or a type is nested deeper than allowed."""


class TooManyStructs(UpdateFormatError):
    """An update holds more structs than allowed (each costs a Python object to read)."""


@dataclass(slots=True)
class Struct:
    """One struct of an update. `parent` is a root name, a type item's id, or None when the
    item inherits its parent from `origin` or `right_origin` (or the struct is not an item)."""

    client: int
    clock: int
    length: int
    content: int
    origin: ID | None = None
    right_origin: ID | None = None
    parent: str | ID | None = None
    key: str | None = None
    type_ref: int | None = None
    start: int = 0
    content_at: int = 0
    end: int = 0
    """Byte positions in the update: where the struct starts, its content, and its end."""


@dataclass
class Update:
    structs: list[Struct]
    deletes: list[tuple[int, int, int]]
    """The delete set: (client, clock, length) ranges."""


def read_var_uint(data: bytes, position: int) -> tuple[int, int]:
    """lib0's variable-length unsigned integer at `position`: (value, next position). The one
    reader of them, for updates here and for the server's frames (`server.protocol`). A value
    past JavaScript's safe integers is refused, as the npm client could not have written it."""
    value = 0
    for shift in range(0, 7 * _MAX_VARUINT_BYTES, 7):
        if position >= len(data):
            raise UpdateFormatError("the data ends inside a number")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            if value > _MAX_SAFE_INTEGER:
                break
            return value, position
    raise UpdateFormatError("a number is too long")


class Reader:
    """lib0 decoding: variable-length unsigned integers, strings and `any` values."""

    def __init__(self, data: bytes, max_depth: int = 64) -> None:
        self.data = data
        self.position = 0
        self.max_depth = max_depth

    def byte(self) -> int:
        if self.position >= len(self.data):
            raise UpdateFormatError("update ends early")
        value = self.data[self.position]
        self.position += 1
        return value

    def uint(self) -> int:
        value, self.position = read_var_uint(self.data, self.position)
        return value

    def skip(self, length: int) -> None:
        if self.position + length > len(self.data):
            raise UpdateFormatError("update ends early")
        self.position += length

    def string(self) -> str:
        length = self.uint()
        start = self.position
        self.skip(length)
        try:
            return self.data[start : self.position].decode("utf-8")
        except UnicodeDecodeError:
            raise UpdateFormatError("a string is not UTF-8") from None

    def skip_any(self) -> None:
        """Skip one lib0 `any` value; objects and arrays nest at most `max_depth` deep."""
        pending = [[1, False]]
        while pending:
            level = pending[-1]
            if not level[0]:
                pending.pop()
                continue
            level[0] -= 1
            if level[1]:
                self.string()
            tag = self.byte()
            if tag in (118, 117):
                if len(pending) >= self.max_depth:
                    raise TooDeep("a value is nested too deep")
                pending.append([self.uint(), tag == 118])
            else:
                self._skip_scalar(tag)

    def _skip_scalar(self, tag: int) -> None:
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
        else:
            raise UpdateFormatError(f"unknown value tag {tag}")

    def id(self) -> ID:
        return self.uint(), self.uint()


def read_update(update: bytes, max_depth: int = 64, max_structs: int | None = None) -> Update:
    """Every struct of `update` and its delete set, which must end the bytes exactly; at most
    `max_structs` structs, counted from the headers before any is read."""
    reader = Reader(update, max_depth)
    structs: list[Struct] = []
    clients = reader.uint()
    if clients > len(update) // 3:
        raise UpdateFormatError("update ends early")
    if max_structs is not None and clients > max_structs:
        raise TooManyStructs(f"an update holds at most {max_structs} items")
    for _ in range(clients):
        count = reader.uint()
        if count > len(update) - reader.position:
            raise UpdateFormatError("update ends early")
        if max_structs is not None and len(structs) + count > max_structs:
            raise TooManyStructs(f"an update holds at most {max_structs} items")
        client = reader.uint()
        clock = reader.uint()
        for _ in range(count):
            struct = _read_struct(reader, client, clock)
            clock += struct.length
            structs.append(struct)
    deletes = []
    for _ in range(reader.uint()):
        client = reader.uint()
        for _ in range(reader.uint()):
            deletes.append((client, reader.uint(), reader.uint()))
    if reader.position != len(update):
        raise UpdateFormatError("bytes follow the update")
    return Update(structs, deletes)


def read_structs(
    update: bytes, max_depth: int = 64, max_structs: int | None = None
) -> list[Struct]:
    return read_update(update, max_depth, max_structs).structs


def read_state_vector(state: bytes) -> dict[int, int]:
    """A state vector (`Doc.get_state()`) as {client: next clock}."""
    reader = Reader(state)
    return dict(reader.id() for _ in range(reader.uint()))


def _read_struct(reader: Reader, client: int, clock: int) -> Struct:
    start = reader.position
    info = reader.byte()
    content = info & 0x1F
    if content in (GC, SKIP):
        return Struct(client, clock, reader.uint(), content, start=start, end=reader.position)
    struct = Struct(client, clock, 0, content, start=start)
    if info & _HAS_ORIGIN:
        struct.origin = reader.id()
    if info & _HAS_RIGHT_ORIGIN:
        struct.right_origin = reader.id()
    if not info & (_HAS_ORIGIN | _HAS_RIGHT_ORIGIN):
        struct.parent = reader.string() if reader.uint() == 1 else reader.id()
        if info & _HAS_PARENT_SUB:
            struct.key = reader.string()
    struct.content_at = reader.position
    struct.length = _read_content(reader, struct)
    struct.end = reader.position
    if struct.length < 1:
        raise UpdateFormatError("an item is empty")
    return struct


def _read_content(reader: Reader, struct: Struct) -> int:
    """Reads an item's content; returns its length as Yjs clocks count it (UTF-16 code units
    of a string, values of a list)."""
    content = struct.content
    if content == DELETED:
        return reader.uint()
    if content == JSON:
        count = reader.uint()
        for _ in range(count):
            reader.string()
        return count
    if content == BINARY:
        reader.skip(reader.uint())
        return 1
    if content == STRING:
        return len(reader.string().encode("utf-16-le")) // 2
    if content == EMBED:
        reader.string()
        return 1
    if content == FORMAT:
        reader.string()
        reader.string()
        return 1
    if content == TYPE:
        struct.type_ref = reader.uint()
        if struct.type_ref in (XML_ELEMENT, XML_HOOK):
            reader.string()
        elif struct.type_ref > 6:
            raise UpdateFormatError(f"unknown type {struct.type_ref}")
        return 1
    if content == ANY:
        count = reader.uint()
        for _ in range(count):
            reader.skip_any()
        return count
    if content == DOC:
        reader.string()
        reader.skip_any()
        return 1
    raise UpdateFormatError(f"unknown content kind {content}")
