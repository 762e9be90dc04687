"""Awareness states lose every address, at any depth, keys included; the input is untouched."""

from __future__ import annotations

import copy

from anonymizer import redact_awareness_state


def test_awareness_state_is_redacted_as_a_copy() -> None:
    state = {
        "user": {"name": "jean.dupont@exemple.fr", "color": "#ff0000"},
        "cursor": {"anchor": 12, "head": 14},
        "notes": ["appelle-moi au 06 12 34 56 78", {"anne@exemple.fr": True}],
        "active": True,
    }
    original = copy.deepcopy(state)
    redacted, counts = redact_awareness_state(state)
    assert redacted == {
        "user": {"name": "[adresse retirée]", "color": "#ff0000"},
        "cursor": {"anchor": 12, "head": 14},
        "notes": ["appelle-moi au [téléphone retiré]", {"[adresse retirée]": True}],
        "active": True,
    }
    assert counts == {"email": 2, "phone": 1}
    assert state == original


def test_clean_awareness_state_is_equal_and_counts_zero() -> None:
    state = {"user": {"name": "Marie", "color": "#00ff00"}}
    assert redact_awareness_state(state) == (state, {"email": 0, "phone": 0})
