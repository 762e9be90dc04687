"""Named hook points where side concerns join the pad server, as in Hocuspocus: the room calls
them, and knows nothing of what they do (activity counts today; metrics or a Redis fan-out
later). A hook must be quick and must not raise: it runs inline with the socket loop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

UpdateHook = Callable[[str, bytes], None]


@dataclass
class Hooks:
    on_update: list[UpdateHook] = field(default_factory=list)
    """(pad id, update) for every update stored and relayed from a peer."""

    def updated(self, pad_id: str, update: bytes) -> None:
        for hook in self.on_update:
            hook(pad_id, update)
