"""Display names kept for the purge: what is taken from an awareness state."""

from __future__ import annotations

from server.known_names import display_name


def test_display_name_without_addresses_phones_or_noise() -> None:
    assert display_name({"user": {"name": "  Katell   Le Bihan "}}, 80) == "Katell Le Bihan"
    state = {"user": {"name": "Ewen ewen@exemple.bzh 06 12 34 56 78"}}
    assert display_name(state, 80) == "Ewen"
    assert display_name({"user": {"name": "Anaïs Kerlann"}}, 5) == "Anaïs"
    for state in [None, {}, {"user": "Katell"}, {"user": {"name": 3}}, {"user": {"name": " "}}]:
        assert display_name(state, 80) is None  # type: ignore[arg-type]
