"""Clear addresses from awareness states (cursor names, colours, whatever clients put there)."""

from __future__ import annotations

from typing import Any

from anonymizer.findings import Markers
from anonymizer.values import redact_value


def redact_awareness_state(
    state: dict[str, Any], markers: Markers | None = None
) -> tuple[dict[str, Any], dict[str, int]]:
    """A redacted copy of one client's awareness state, and counts per kind.

    Every string at any depth is redacted, keys included (a user name typed as an address is the
    common case); the input is left untouched, so the caller decides what to broadcast.
    """
    copy, counts = redact_value(state, markers)
    return copy, counts
