"""The table of named hooks where side concerns join the pad server, as in Hocuspocus: the room,
the registry, the lifecycle and the exports call them, and know nothing of what they do
(activity counts, the display names kept for the purge's review and its count of writers, the
purge's awareness guard and export gate, the fan-out across processes). `create_app` fills the
table; `house_hooks` is the server's.

The hooks of one room run in this order:

1. `on_load(room)`: the room was just loaded from storage, before any peer joins it.
2. `before_awareness(room, entries) -> entries`: awareness states from a peer, decoded, before
   they apply and spread; each hook gets what the one before it returned. The house's run in
   this order: the display names are gathered for the purge (`known_names.py`, until the
   purge's intent; nothing changed), then the purge's guard redacts the states once the purge
   has begun.
3. `on_update(room, update, position, writer)`: an update, committed at `position` in the pad's
   log, before it is relayed; `writer` is the peer that sent it (None for the server's own).
4. `on_awareness_change(pad_id, entries)`: the awareness entries this process's own peers
   changed, encoded, as they are relayed (not those that came from another process).
5. `on_state_change(room, old, new)`: a lifecycle move, committed, after the room's peers were
   told; for every room that moves, in every process.
6. `on_unload(room)`: the room left memory, after its last write (or discarded by the purge or
   a deletion).

And about a pad, whether or not this process holds its room, for the moves this process makes:
`on_pad_state(pad_id, state)`, a lifecycle move committed; `on_pad_drop(pad_id, code, reason,
update)`, the pad's rooms must go (the purge rewrote its notes, `update` bringing a copy to the
new ones, or it was deleted). And `before_export(pad, doc) -> doc`, a pad's document about to
leave the server (every export, archive page and static site); each hook gets what the one
before returned.

A hook must be quick and must not raise: the room's hooks run inline with the socket loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pycrdt import Doc

from .protocol import AwarenessEntry
from .store import PadRecord

if TYPE_CHECKING:
    from .room import Peer, Room

RoomHook = Callable[["Room"], None]
AwarenessHook = Callable[["Room", list[AwarenessEntry]], list[AwarenessEntry]]
UpdateHook = Callable[["Room", bytes, int, "Peer | None"], None]
AwarenessChangeHook = Callable[[str, list[bytes]], None]
StateHook = Callable[["Room", str, str], None]
PadStateHook = Callable[[str, str], None]
PadDropHook = Callable[[str, int, str, bytes | None], None]
ExportHook = Callable[[PadRecord, Doc], Doc]


@dataclass
class Hooks:
    on_load: list[RoomHook] = field(default_factory=list)
    before_awareness: list[AwarenessHook] = field(default_factory=list)
    on_update: list[UpdateHook] = field(default_factory=list)
    on_awareness_change: list[AwarenessChangeHook] = field(default_factory=list)
    on_state_change: list[StateHook] = field(default_factory=list)
    on_unload: list[RoomHook] = field(default_factory=list)
    on_pad_state: list[PadStateHook] = field(default_factory=list)
    on_pad_drop: list[PadDropHook] = field(default_factory=list)
    before_export: list[ExportHook] = field(default_factory=list)

    def loaded(self, room: Room) -> None:
        for hook in self.on_load:
            hook(room)

    def awareness(self, room: Room, entries: list[AwarenessEntry]) -> list[AwarenessEntry]:
        for hook in self.before_awareness:
            entries = hook(room, entries)
        return entries

    def updated(self, room: Room, update: bytes, position: int, writer: Peer | None) -> None:
        for hook in self.on_update:
            hook(room, update, position, writer)

    def awareness_changed(self, pad_id: str, entries: list[bytes]) -> None:
        for hook in self.on_awareness_change:
            hook(pad_id, entries)

    def state_changed(self, room: Room, old: str, new: str) -> None:
        for hook in self.on_state_change:
            hook(room, old, new)

    def unloaded(self, room: Room) -> None:
        for hook in self.on_unload:
            hook(room)

    def pad_state(self, pad_id: str, state: str) -> None:
        for hook in self.on_pad_state:
            hook(pad_id, state)

    def pad_dropped(self, pad_id: str, code: int, reason: str, update: bytes | None) -> None:
        for hook in self.on_pad_drop:
            hook(pad_id, code, reason, update)

    def exported(self, pad: PadRecord, doc: Doc) -> Doc:
        for hook in self.before_export:
            doc = hook(pad, doc)
        return doc
