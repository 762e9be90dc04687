"""Frames to messages and back: round trips and strict refusals."""

from __future__ import annotations

import pytest
from pycrdt import Awareness, Doc, Text

from server import protocol
from server.errors import InvalidFrame, UnsupportedFrame


def test_sync_messages_round_trip() -> None:
    doc = Doc()
    doc.get("content", type=Text).insert(0, "Salut")
    update = doc.get_update()
    assert protocol.parse(protocol.sync_step1(doc.get_state())) == protocol.SyncStep1(
        doc.get_state()
    )
    assert protocol.parse(protocol.sync_step2(update)) == protocol.SyncStep2(update)
    assert protocol.parse(protocol.sync_update(update)) == protocol.SyncUpdate(update)
    assert protocol.parse(b"\x03") == protocol.QueryAwareness()


def test_awareness_round_trip_with_large_client_ids() -> None:
    awareness = Awareness(Doc())
    awareness.set_local_state({"user": {"name": "Élodie", "color": "#fff"}})
    payload = awareness.encode_awareness_update([awareness.client_id])
    message = protocol.parse(protocol.awareness(payload))
    assert message == protocol.AwarenessUpdate(payload)
    [entry] = protocol.parse_awareness(payload)
    assert entry.client_id == awareness.client_id
    assert entry.state == {"user": {"name": "Élodie", "color": "#fff"}}


def test_keepalive_is_an_empty_awareness_update() -> None:
    message = protocol.parse(protocol.KEEPALIVE)
    assert isinstance(message, protocol.AwarenessUpdate)
    assert protocol.parse_awareness(message.payload) == []


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        (b"", InvalidFrame),
        (b"\x80", InvalidFrame),
        (b"\xff" * 9, InvalidFrame),
        (b"\x00\x02\x05ab", InvalidFrame),
        (b"\x00\x02\x01ab", InvalidFrame),
        (b"\x03\x00", InvalidFrame),
        (b"\x00\x03\x00", UnsupportedFrame),
        (b"\x02\x00", UnsupportedFrame),
        (b"\x64\x00", UnsupportedFrame),
    ],
)
def test_bad_frames(frame: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        protocol.parse(frame)


@pytest.mark.parametrize(
    "payload",
    [b"\x01", b"\x01\x01\x01\x05null", b"\x01\x01\x01\x02[]", b"\x01\x01\x01\x01{", b"\x00\x00"],
)
def test_bad_awareness(payload: bytes) -> None:
    with pytest.raises(InvalidFrame):
        protocol.parse_awareness(payload)


def test_var_uint_limit_and_one_past() -> None:
    largest = 2**53 - 1
    encoded = bytes([0xFF] * 7 + [0x0F])
    assert protocol.read_var_uint(encoded, 0) == (largest, 8)
    with pytest.raises(InvalidFrame):
        protocol.read_var_uint(bytes([0x80] * 7 + [0x10]), 0)
