"""y-websocket frames to typed messages and back. Pure: bytes in, bytes out.

The wire format is the one of y-protocols (sync and awareness) that the npm `y-websocket` client
speaks: a varUint message type, then for sync a varUint sub-type and one varUint-prefixed
payload. Parsing is strict, because every byte comes from an untrusted client: a frame must hold
exactly one message, lengths must fit in the frame, and unknown types are refused. pycrdt's
encoders build the outgoing frames.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pycrdt import (
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    write_message,
    write_var_uint,
)

from anonymizer import updates

from .errors import AwarenessTooLarge, InvalidFrame, UnsupportedFrame

QUERY_AWARENESS = 3
PAD_EVENT = 100
"""Skrid's own message type: lifecycle news (a var-string of JSON). Unknown to plain clients,
which log it and carry on."""

EMPTY_UPDATE = b"\x00\x00"
KEEPALIVE = create_awareness_message(b"\x00")
"""An awareness update listing no client: a no-op for the receiver, but traffic on the socket,
which keeps the npm client from dropping a quiet connection after 30 s."""


@dataclass(frozen=True, slots=True)
class SyncStep1:
    state_vector: bytes


@dataclass(frozen=True, slots=True)
class SyncStep2:
    update: bytes


@dataclass(frozen=True, slots=True)
class SyncUpdate:
    update: bytes


@dataclass(frozen=True, slots=True)
class AwarenessUpdate:
    payload: bytes


@dataclass(frozen=True, slots=True)
class QueryAwareness:
    pass


Message = SyncStep1 | SyncStep2 | SyncUpdate | AwarenessUpdate | QueryAwareness


def read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    """Read a varUint at `pos`; return (value, next position). Raise InvalidFrame on a number
    cut short or too long."""
    try:
        return updates.read_var_uint(data, pos)
    except updates.UpdateFormatError as error:
        raise InvalidFrame(f"malformed frame: {error}") from None


def _read_payload(data: bytes, pos: int) -> bytes:
    length, pos = read_var_uint(data, pos)
    end = pos + length
    if end > len(data):
        raise InvalidFrame("truncated frame: payload shorter than its length")
    if end != len(data):
        raise InvalidFrame("malformed frame: bytes after the message")
    return data[pos:end]


def parse(frame: bytes) -> Message:
    """Parse one binary frame from a client into a message."""
    kind, pos = read_var_uint(frame, 0)
    if kind == YMessageType.SYNC:
        sub, pos = read_var_uint(frame, pos)
        payload = _read_payload(frame, pos)
        if sub == YSyncMessageType.SYNC_STEP1:
            return SyncStep1(payload)
        if sub == YSyncMessageType.SYNC_STEP2:
            return SyncStep2(payload)
        if sub == YSyncMessageType.SYNC_UPDATE:
            return SyncUpdate(payload)
        raise UnsupportedFrame(f"unknown sync message type {sub}")
    if kind == YMessageType.AWARENESS:
        return AwarenessUpdate(_read_payload(frame, pos))
    if kind == QUERY_AWARENESS:
        if pos != len(frame):
            raise InvalidFrame("malformed frame: bytes after the message")
        return QueryAwareness()
    raise UnsupportedFrame(f"unknown message type {kind}")


def _sync(sub: YSyncMessageType, payload: bytes) -> bytes:
    return bytes((YMessageType.SYNC, sub)) + write_message(payload)


def sync_step1(state_vector: bytes) -> bytes:
    return _sync(YSyncMessageType.SYNC_STEP1, state_vector)


def sync_step2(update: bytes) -> bytes:
    return _sync(YSyncMessageType.SYNC_STEP2, update)


def sync_update(update: bytes) -> bytes:
    return _sync(YSyncMessageType.SYNC_UPDATE, update)


def awareness(payload: bytes) -> bytes:
    return create_awareness_message(payload)


def pad_event(event: dict[str, Any]) -> bytes:
    body = json.dumps(event, separators=(",", ":")).encode()
    return bytes((PAD_EVENT,)) + write_message(body)


@dataclass(frozen=True, slots=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class RawAwarenessEntry:
    """An awareness entry whose state is still JSON bytes: a server reads an entry's id and
    clock to decide whether it applies, and decodes the state only then."""

    client_id: int
    clock: int
    state: bytes

    @property
    def cleared(self) -> bool:
        return self.state == NULL_STATE


NULL_STATE = b"null"
_MIN_ENTRY_BYTES = 3
"""An entry is at least a client id, a clock and a state's length, a byte each."""


def read_awareness(
    payload: bytes, max_entries: int | None = None, max_state_bytes: int | None = None
) -> list[RawAwarenessEntry]:
    """Split an awareness update into entries without decoding any state. The count is checked
    before the first entry is read and each state's length before it is copied, so a frame
    past a limit costs a few bytes read, whatever it announces."""
    count, pos = read_var_uint(payload, 0)
    if count * _MIN_ENTRY_BYTES > len(payload) - pos:
        raise InvalidFrame("truncated awareness update: fewer bytes than its entries need")
    if max_entries is not None and count > max_entries:
        raise AwarenessTooLarge(f"an awareness frame holds at most {max_entries} entries")
    entries = []
    for _ in range(count):
        client_id, pos = read_var_uint(payload, pos)
        clock, pos = read_var_uint(payload, pos)
        length, pos = read_var_uint(payload, pos)
        end = pos + length
        if end > len(payload):
            raise InvalidFrame("truncated awareness update")
        if max_state_bytes is not None and length > max_state_bytes:
            raise AwarenessTooLarge(f"an awareness state holds at most {max_state_bytes} bytes")
        entries.append(RawAwarenessEntry(client_id, clock, payload[pos:end]))
        pos = end
    if pos != len(payload):
        raise InvalidFrame("malformed awareness update: bytes after the last state")
    return entries


def decode_awareness_state(raw: bytes, max_depth: int | None = None) -> dict[str, Any] | None:
    """A state's JSON as an object (or None, a cleared state), refused unless it is one, or
    when it nests deeper than `max_depth` (what walks it, such as the purge's redaction,
    recurses)."""
    try:
        state = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidFrame("awareness state is not JSON") from None
    if state is not None and not isinstance(state, dict):
        raise InvalidFrame("awareness state is not an object")
    if max_depth is not None and _depth(state) > max_depth:
        raise InvalidFrame(f"awareness states nest at most {max_depth} levels")
    return state


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        if children:
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_awareness(payload: bytes) -> list[AwarenessEntry]:
    """Decode an awareness update strictly: a bad one is refused before any of it applies."""
    return [
        AwarenessEntry(e.client_id, e.clock, decode_awareness_state(e.state))
        for e in read_awareness(payload)
    ]


def encode_state(state: dict[str, Any] | None) -> bytes:
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()


def awareness_entry(client_id: int, clock: int, state: bytes) -> bytes:
    """One encoded entry of an awareness update; `state` is its JSON."""
    return write_var_uint(client_id) + write_var_uint(clock) + write_message(state)


def awareness_update(entries: list[bytes]) -> bytes:
    """An awareness update from entries encoded by `awareness_entry`."""
    return write_var_uint(len(entries)) + b"".join(entries)


def encode_awareness(entries: list[AwarenessEntry]) -> bytes:
    """The inverse of parse_awareness."""
    return awareness_update(
        [awareness_entry(e.client_id, e.clock, encode_state(e.state)) for e in entries]
    )
