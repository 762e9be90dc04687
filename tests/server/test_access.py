"""Keys: roles, refusals, constant-time comparison against every hash."""

from __future__ import annotations

import pytest

from server.access import Role, new_keys, role_for
from server.errors import Unauthorized


def test_each_key_maps_to_its_role() -> None:
    keys = new_keys()
    hashes = keys.hashes()
    assert role_for(keys.host, hashes) is Role.HOST
    assert role_for(keys.edit, hashes) is Role.EDIT
    assert role_for(keys.view, hashes) is Role.VIEW


@pytest.mark.parametrize("key", [None, "", "abc", "x" * 32])
def test_other_keys_are_refused(key: str | None) -> None:
    with pytest.raises(Unauthorized):
        role_for(key, new_keys().hashes())


def test_hashes_do_not_contain_keys() -> None:
    keys = new_keys()
    hashes = keys.hashes()
    for role in Role:
        key = getattr(keys, role.value)
        assert key.encode() not in getattr(hashes, role.value)
        assert len(getattr(hashes, role.value)) == 32
