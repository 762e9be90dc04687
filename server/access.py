"""Capability keys: make them, hash them, check them in constant time, map them to a role.

A pad has three keys. The host key is 192 bits from `secrets`; the edit and view keys are derived
from it by HMAC-SHA256, so they are as unguessable, tell nothing of the host key, and the host's
console can show the attendees' links again although no key is stored. Only SHA-256 hashes are
stored: the keys are long random values, so a fast hash is enough (no password stretching), and a
leaked database does not leak a working link. The caller's key is compared with all three hashes
every time, so the time taken does not tell which role, if any, matched.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from .errors import Forbidden, Unauthorized

KEY_BYTES = 24
PAD_ID_BYTES = 9


class Role(enum.StrEnum):
    HOST = "host"
    EDIT = "edit"
    VIEW = "view"


@dataclass(frozen=True)
class KeyHashes:
    host: bytes
    edit: bytes
    view: bytes


@dataclass(frozen=True)
class Keys:
    host: str
    edit: str
    view: str

    def hashes(self) -> KeyHashes:
        return KeyHashes(hash_key(self.host), hash_key(self.edit), hash_key(self.view))


def new_pad_id() -> str:
    return secrets.token_urlsafe(PAD_ID_BYTES)


def new_keys() -> Keys:
    return keys_from_host(secrets.token_urlsafe(KEY_BYTES))


def keys_from_host(host_key: str) -> Keys:
    def derive(role: Role) -> str:
        digest = hmac.new(host_key.encode(), f"skrid/{role.value}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()[:KEY_BYTES]).decode()

    return Keys(host_key, derive(Role.EDIT), derive(Role.VIEW))


def hash_key(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def role_for(key: str | None, hashes: KeyHashes) -> Role:
    """The role a key grants on a pad; raise Unauthorized when it grants none."""
    if not key:
        raise Unauthorized("a key is required: add ?k=KEY or an Authorization: Bearer header")
    given = hash_key(key)
    matches = {role: hmac.compare_digest(given, getattr(hashes, role.value)) for role in Role}
    for role, matched in matches.items():
        if matched:
            return role
    raise Unauthorized("this key does not open this pad")


def require_host(role: Role) -> None:
    if role is not Role.HOST:
        raise Forbidden("only the host key may do this")
