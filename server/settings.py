"""Every setting and limit of the server, in one frozen table.

Each field has a default and a help text; `Settings.from_env()` reads `SKRID_<NAME>` variables
and the CLI overrides them with its flags. A bad value fails at start-up with a one-line message
naming the variable, never later in a request.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from anonymizer import Markers

ENV_PREFIX = "SKRID_"


def setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


MAX_NESTING_DEPTH = 200
"""Walks of a document build nested types one level per call (pycrdt integrates them
recursively): this keeps them far from Python's recursion limit."""

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SCHEMA_NAME = re.compile("[a-z_][a-z0-9_]{0,62}")

_ZERO_ALLOWED = {"port", "room_idle_seconds"}


@dataclass(frozen=True)
class Settings:
    host: str = setting("127.0.0.1", "Address to listen on.")
    port: int = setting(8000, "Port to listen on.")
    db: str = setting("skrid.sqlite3", "Path of the SQLite database file.")
    create_db: bool = setting(
        False, "Create the database file when it does not exist (`skrid serve --init`)."
    )
    database_url: str = setting(
        "", "A PostgreSQL URL (postgresql://user@host:port/db) to store pads there instead of"
        " the SQLite file `db`: several `skrid serve` processes can then share it.",
    )  # fmt: skip
    database_schema: str = setting("public", "The PostgreSQL schema Skrid's tables live in.")
    database_pool_size: int = setting(
        10, "Connections to PostgreSQL one process keeps at most (2 or more)."
    )
    database_timeout_seconds: float = setting(
        10.0, "How long a PostgreSQL connection or statement may take before it is given up."
    )
    public_url: str = setting("", "Base URL used in links (default: from the request).")
    timezone: str = setting("Europe/Paris", "Time zone used to display schedules.")

    max_frame_bytes: int = setting(4 * 1024 * 1024, "Largest WebSocket frame accepted.")
    max_clients_per_pad: int = setting(500, "Sockets one pad accepts at once.")
    max_open_rooms: int = setting(10_000, "Pads held in memory at once.")
    max_frames_per_second: float = setting(
        200.0, "Sustained frames per second per connection (never per address)."
    )
    frame_burst: int = setting(2_000, "Frames a connection may send in a burst.")
    max_send_queue: int = setting(
        2_000, "Frames queued for one slow client before its socket is closed."
    )
    awareness_batch_seconds: float = setting(
        0.05, "Awareness changes are relayed at most once per this window (a lone one at once)."
    )
    max_awareness_ids_per_socket: int = setting(
        4, "Awareness client ids one socket may announce in its life (a tab uses one); 1008 past."
    )
    max_awareness_state_bytes: int = setting(
        4096, "Longest awareness state (a name, a colour, a cursor), in bytes of JSON; 1009 past."
    )
    max_awareness_states: int = setting(
        1000, "Awareness states one pad holds (keep it >= max_clients_per_pad); more are not shown."
    )
    max_awareness_entries: int = setting(
        1000, "Entries one awareness frame may hold (>= max_awareness_states: clients echo); 1009."
    )
    awareness_query_seconds: float = setting(
        1.0, "A socket's query for every awareness state is answered at most once per this long."
    )
    max_nesting_depth: int = setting(
        32, "Deepest nesting of shared types or values an update may hold (at most 200)."
    )
    max_update_items: int = setting(
        20_000, "Most structs (runs of items, one per client and run) one Yjs update may hold."
    )
    max_title_chars: int = setting(200, "Longest pad title.")
    pads_per_minute: float = setting(30.0, "Pads one client address may create per minute.")
    pad_burst: int = setting(60, "Pads one client address may create in a burst.")
    failed_keys_per_minute: float = setting(
        30.0, "Wrong keys one client address may present per minute."
    )
    failed_key_burst: int = setting(100, "Wrong keys one client address may present in a burst.")
    request_timeout_seconds: float = setting(
        10.0, "A request (line, headers, body) must arrive within this long of its first byte or"
        " of the connection's opening; 408 and closed past it.",
    )  # fmt: skip
    max_request_head_bytes: int = setting(
        16_384, "Longest request line and headers, in bytes; 431 and closed past it."
    )
    max_connections_per_address: int = setting(
        256, "HTTP connections one client address may hold (pad sockets aside); past it its idle"
        " keep-alive ones are closed, else the new one is refused with 503.",
    )  # fmt: skip
    http_keep_alive_seconds: float = setting(
        5.0, "An idle HTTP keep-alive connection is closed after this long."
    )
    trusted_proxies: str = setting(
        "", "Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: comma-separated"
        " addresses or networks, or `*`; empty: none (the client is the socket's peer).",
    )  # fmt: skip
    scheduler_seconds: float = setting(
        10.0, "How often the scheduler looks for due transitions (each runs within 30 s)."
    )

    room_idle_seconds: float = setting(
        0.0, "An empty room is unloaded after this long (0: as soon as its writes are stored)."
    )
    keepalive_seconds: float = setting(
        10.0, "Idle sockets get an empty awareness frame this often (npm client drops at 30 s)."
    )
    ws_ping_seconds: float = setting(20.0, "WebSocket ping interval to detect dead sockets.")
    ws_compression: bool = setting(
        False,
        "Offer permessage-deflate: Yjs frames are small, and zlib's state costs ~80 KiB a socket.",
    )
    ws_ping_timeout_seconds: float = setting(20.0, "A socket not answering a ping is closed.")

    activity_flush_seconds: float = setting(
        15.0, "How often edit counts (for the archive's picture) are saved."
    )
    known_names_flush_seconds: float = setting(
        5.0, "How often display names seen in pads (removed by the purge) are saved."
    )
    max_known_names: int = setting(
        500, "Display names one pad keeps for its purge; more are not kept (nor removed)."
    )
    max_known_name_chars: int = setting(80, "Longest display name kept for the purge.")
    max_speakers: int = setting(50, "Speakers one pad may list.")
    max_purge_decisions: int = setting(
        500, "Names the host may list in each of keep, remove and speakers of a purge plan."
    )
    max_document_bytes: int = setting(
        2 * 1024 * 1024, "A pad's notes may take this many bytes (Yjs-encoded); an update past"
        " it is refused and its socket closed with 4413.",
    )  # fmt: skip
    compact_after_updates: int = setting(
        500, "Compact a pad's update log past this many rows (more for a big pad, see room.py)."
    )
    compact_after_bytes: int = setting(
        1024 * 1024, "Compact a pad's update log past this many bytes (or its snapshot's size)."
    )
    sqlite_synchronous: str = setting(
        "NORMAL", "SQLite synchronous mode; NORMAL with WAL survives a process kill."
    )
    redis_url: str = setting(
        "", "Redis URL (redis://…) through which several processes relay each other's updates"
        " and awareness; empty: one process.",
    )  # fmt: skip
    redis_prefix: str = setting("skrid", "Prefix of this deployment's Redis channels.")
    fanout_heartbeat_seconds: float = setting(
        1.0, "How often a process tells the others it is alive and how far it holds each pad."
    )
    fanout_dead_seconds: float = setting(
        3.0, "A process not heard of for this long is gone: its attendees' cursors and names go."
    )
    fanout_gap_seconds: float = setting(
        0.5, "A hole in a pad's log positions still open after this is filled from the database."
    )
    names_model: bool = setting(
        True, "Find attendees' names with spaCy's fr_core_news_md besides the rules and the names"
        " known to the pad (no: rules and known names only).",
    )  # fmt: skip
    email_marker: str = setting("[adresse retirée]", "What replaces an e-mail address.")
    phone_marker: str = setting("[téléphone retiré]", "What replaces a phone number.")
    log_level: str = setting("info", "Log level: debug, info, warning, error.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then `SKRID_*` variables, then explicit overrides (CLI flags)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _cast(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if not numeric:
                continue
            zero_allowed = f.name in _ZERO_ALLOWED
            if value < 0 or (value == 0 and not zero_allowed):
                least = "zero or more" if zero_allowed else "positive"
                raise SettingsError(f"{ENV_PREFIX}{f.name.upper()} must be {least}")
        if self.max_nesting_depth > MAX_NESTING_DEPTH:
            raise SettingsError(
                f"{ENV_PREFIX}MAX_NESTING_DEPTH must be at most {MAX_NESTING_DEPTH}"
            )
        if self.sqlite_synchronous.upper() not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
            raise SettingsError(f"{ENV_PREFIX}SQLITE_SYNCHRONOUS: unknown mode")
        proxy_networks(self.trusted_proxies)
        if self.database_pool_size < 2:
            raise SettingsError(
                f"{ENV_PREFIX}DATABASE_POOL_SIZE must be at least 2 (a lifecycle move holds one)"
            )
        if self.redis_url and not self.database_url:
            raise SettingsError(
                f"{ENV_PREFIX}REDIS_URL needs {ENV_PREFIX}DATABASE_URL: processes share their"
                " pads through PostgreSQL (one SQLite file is one process's)"
            )
        if self.database_url and not self.database_url.startswith(POSTGRES_SCHEMES):
            raise SettingsError(f"{ENV_PREFIX}DATABASE_URL must start with postgresql://")
        if not SCHEMA_NAME.fullmatch(self.database_schema):
            raise SettingsError(
                f"{ENV_PREFIX}DATABASE_SCHEMA must be lower-case letters, digits and _"
            )

    @property
    def markers(self) -> Markers:
        """What the anonymiser writes in place of what it removes."""
        return Markers(email=self.email_marker, phone=self.phone_marker)

    @classmethod
    def describe(cls) -> list[tuple[str, Any, str]]:
        """(name, default, help) of every setting, for the CLI and the docs."""
        return [(f.name, f.default, f.metadata["help"]) for f in dataclasses.fields(cls)]


def proxy_networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """The networks of `trusted_proxies`; None for `*` (any peer). uvicorn reads the same list
    (`forwarded_allow_ips`); it is parsed here too so that a typo fails at start, by name."""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if "*" in entries:
        return None
    try:
        return [ipaddress.ip_network(entry, strict=False) for entry in entries]
    except ValueError:
        raise SettingsError(
            f"{ENV_PREFIX}TRUSTED_PROXIES={value!r} is not a list of addresses or networks"
        ) from None


_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False}  # fmt: skip


def _cast(f: dataclasses.Field[Any], raw: str) -> Any:
    kind: type[Any] = type(f.default)
    try:
        if kind is bool:
            return _BOOLEANS[raw.strip().lower()]
        return kind(raw)
    except KeyError:
        raise SettingsError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a yes/no value") from None
    except ValueError:
        raise SettingsError(
            f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {kind.__name__}"
        ) from None
