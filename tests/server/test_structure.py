"""The door for Yjs updates (server/structure.py): whole v1 updates only, of bounded nesting,
building on what the pad has."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Map, Text, merge_updates

from server.errors import FrameTooLarge, InvalidFrame, NestedTooDeep
from server.structure import Structure


def accept(structure: Structure, doc: Doc, update: bytes) -> None:
    accepted = structure.check(update)
    doc.apply_update(update)
    structure.record(accepted)


def test_typing_is_accepted_update_by_update() -> None:
    server, client = Doc(), Doc()
    structure = Structure.of(server, 32)
    text = client.get("content", type=Text)
    for char in "Bonjour à toutes et à tous":
        before = client.get_state()
        text += char
        accept(structure, server, client.get_update(before))
    assert str(server.get("content", type=Text)) == "Bonjour à toutes et à tous"


@pytest.mark.parametrize("tail", [b"\x00", b"garbage", b"\x00\x00"])
def test_bytes_after_an_update_are_refused(tail: bytes) -> None:
    client = Doc()
    client.get("content", type=Text).insert(0, "notes")
    with pytest.raises(InvalidFrame, match="not one whole v1 update"):
        Structure(32).check(client.get_update() + tail)


def test_nesting_at_the_limit_passes_and_one_past_it_is_refused() -> None:
    def nested(levels: int) -> bytes:
        doc = Doc()
        current = doc.get("deep", type=Map)
        for _ in range(levels):
            current["n"] = Map()
            current = current["n"]
        return doc.get_update()

    Structure(8).check(nested(8))
    with pytest.raises(NestedTooDeep):
        Structure(8).check(nested(9))


def test_nesting_grown_one_update_at_a_time_is_refused_too() -> None:
    server, client = Doc(), Doc()
    structure = Structure(8)
    current = client.get("deep", type=Map)
    for _ in range(8):
        before = client.get_state()
        current["n"] = Map()
        current = current["n"]
        accept(structure, server, client.get_update(before))
    before = client.get_state()
    current["n"] = Map()
    with pytest.raises(NestedTooDeep):
        structure.check(client.get_update(before))
    reloaded = Structure.of(server, 8)
    with pytest.raises(NestedTooDeep):
        reloaded.check(client.get_update(before))


def test_an_update_building_on_content_the_pad_lacks_is_refused() -> None:
    client = Doc()
    text = client.get("content", type=Text)
    text.insert(0, "début")
    before = client.get_state()
    text.insert(5, " suite")
    with pytest.raises(InvalidFrame, match="does not have"):
        Structure(32).check(client.get_update(before))


def test_items_at_the_limit_pass_and_one_past_it_is_refused() -> None:
    """Each client of an update costs a struct to read: a frame of a million one-character
    clients is refused from its headers."""
    updates = []
    for client_id in range(1, 12):
        doc = Doc(client_id=client_id)
        doc.get("content", type=Text).insert(0, "x")
        updates.append(doc.get_update())
    update = merge_updates(*updates)
    Structure(32, max_items=11).check(update)
    with pytest.raises(FrameTooLarge, match="at most 10 items"):
        Structure(32, max_items=10).check(update)
