"""Guarantee 3, against what goes wrong around a purge: a reader holding the database, a kill -9
at any moment, a full disk, the database file removed under the server. In each case the pad is
`purged` only once no byte of an address is left, and the purge completes once it can."""

from __future__ import annotations

import asyncio
import contextlib
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.guarantees.helpers import storage_bytes
from tests.live import LiveServer
from tests.ypeer import YPeer

# These tests are about crashes, readers and disks, not names: their servers find names by rules
# and known names only (NAMES_MODEL off), so that loading spaCy's model (seconds, once a process)
# does not fall on every restart. tests/guarantees/test_purge_names.py runs the model.
ADDRESSES = [f"participant{i}.kerjean@exemple-{i % 7}.bzh" for i in range(400)]
NOTES = "".join(f"- {address} souhaite être recontacté·e\n" for address in ADDRESSES)
TITLE_ADDRESS = "organisation.titre@exemple.bzh"
MAX_WRITES_TO_FULL = 500


def host(pad: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pad['host_key']}"}


def state(server: LiveServer, pad: dict[str, Any]) -> str:
    response = httpx.get(f"{server.url}/api/pads/{pad['id']}", headers=host(pad), timeout=10)
    return response.json()["state"]


def wait_state(server: LiveServer, pad: dict[str, Any], wanted: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while (current := state(server, pad)) != wanted:
        assert time.monotonic() < deadline, f"pad still {current}, not {wanted}"
        time.sleep(0.05)


async def pad_with_notes(server: LiveServer) -> dict[str, Any]:
    pad = server.create_pad(f"Webinaire — contact {TITLE_ADDRESS}")
    async with server.peer(pad) as peer:
        await peer.insert(0, NOTES)
    assert await server.read_text(pad) == NOTES  # its answer waits for the commit
    return pad


def assert_no_address(db: Path) -> None:
    stored = storage_bytes(db)
    leaks = [a for a in [*ADDRESSES, TITLE_ADDRESS] if a.split("@")[0].encode() in stored]
    assert not leaks, f"{len(leaks)} addresses survive in the database files"


async def test_a_reader_holding_the_database_delays_the_purge_it_does_not_fake_it(
    server_factory: Any, tmp_path: Path
) -> None:
    server = server_factory(scheduler_seconds=0.2, names_model=False)
    pad = await pad_with_notes(server)
    other = server.create_pad("Un autre webinaire")
    reader = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('BEGIN');"
        " db.execute('SELECT count(*) FROM updates').fetchall(); print('ready', flush=True);"
        " sys.stdin.readline()",
        str(server.db),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert reader.stdout is not None and (await reader.stdout.readline()).strip() == b"ready"
        started = time.monotonic()
        response = httpx.post(f"{server.url}/api/pads/{pad['id']}/purge", headers=host(pad))
        assert time.monotonic() - started < 2
        assert response.status_code == 202, response.text
        assert response.json()["state"] == "purging"
        assert "purging" in {state(server, pad) for _ in range(3)}
        async with server.peer(other) as writer, server.peer(other, "view") as watcher:
            for i in range(5):
                sent = time.monotonic()
                await writer.append(f"ligne {i}\n")
                await watcher.wait_text(str(writer.text), timeout=2)
                assert time.monotonic() - sent < 0.5, "another pad's relay stalled"
        assert state(server, pad) == "purging"
    finally:
        await asyncio.wait_for(reader.communicate(b"\n"), timeout=10)
    wait_state(server, pad, "purged")
    assert "purge waits for the database to forget" in server.log()
    server.stop()
    assert_no_address(server.db)


def purge_in_background(server: LiveServer, pad: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(f"{server.url}/api/pads/{pad['id']}/purge", headers=host(pad), timeout=10)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


async def test_kill_9_at_any_moment_of_a_purge_is_completed_after_restart(
    server_factory: Any,
) -> None:
    """Twenty kills at seeded random moments of a host's purge, each followed by a restart:
    the pad ends purged with nothing left, whatever step the kill interrupted."""
    rng = random.Random(15)
    server = server_factory(scheduler_seconds=0.2, names_model=False)
    outcomes: dict[str, int] = {}
    for _ in range(20):
        pad = await pad_with_notes(server)
        thread = purge_in_background(server, pad)
        time.sleep(rng.uniform(0, 0.15))
        server.kill()
        thread.join()
        server.start()
        after_restart = state(server, pad)
        outcomes[after_restart] = outcomes.get(after_restart, 0) + 1
        if after_restart == "live":
            assert await server.read_text(pad) == NOTES, "a kill before the intent lost notes"
            response = httpx.post(f"{server.url}/api/pads/{pad['id']}/purge", headers=host(pad))
            assert response.status_code == 200, response.text
        wait_state(server, pad, "purged")
        text = await server.read_text(pad)
        assert text.count("[adresse retirée]") == len(ADDRESSES)
        body = httpx.get(f"{server.url}/api/pads/{pad['id']}", headers=host(pad)).json()
        assert TITLE_ADDRESS not in body["title"]
        assert body["purge_counts"]["email"] >= len(ADDRESSES)
    server.stop()
    assert_no_address(server.db)
    assert sum(outcomes.values()) == 20
    print(f"kill -9 outcomes after restart: {outcomes}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk but `leave` bytes."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 65536)
    size = filler.stat().st_size
    with filler.open("r+b") as out:
        out.truncate(max(size - leave, 0))
    return filler


async def test_a_full_disk_gives_a_clear_503_and_the_purge_completes_once_space_returns(
    server_factory: Any, small_disk: Path
) -> None:
    server = server_factory(
        db=small_disk / "skrid.sqlite3", scheduler_seconds=0.2, names_model=False
    )
    pad = await pad_with_notes(server)
    filler = fill(small_disk, 4096)
    # Writes go on while they fit in the WAL's pages already allocated (a checkpoint restarts
    # it from its start): the first that needs a new page gets the 503.
    for _ in range(MAX_WRITES_TO_FULL):
        created = httpx.post(f"{server.url}/api/pads", json={"title": "Plein " * 30})
        if created.status_code != 201:
            break
    assert created.status_code == 503, created.text
    assert created.json()["error"]["code"] in {"disk_full", "store_failed"}
    response = httpx.post(f"{server.url}/api/pads/{pad['id']}/purge", headers=host(pad))
    assert response.status_code in {202, 503}, response.text
    if response.status_code == 503:
        assert response.json()["error"]["message"]
    now = state(server, pad)
    assert now in {"live", "purging"}
    if now == "live":
        assert await server.read_text(pad) == NOTES
    filler.unlink()
    if now == "live":
        response = httpx.post(f"{server.url}/api/pads/{pad['id']}/purge", headers=host(pad))
        assert response.status_code == 200, response.text
    wait_state(server, pad, "purged")
    server.stop()
    assert_no_address(server.db)


async def test_a_database_removed_under_the_server_is_noticed(live_server: LiveServer) -> None:
    pad = live_server.create_pad("Avant")
    db = live_server.db
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    assert httpx.get(f"{live_server.url}/healthz").status_code == 503
    created = httpx.post(f"{live_server.url}/api/pads", json={"title": "Après"})
    assert created.status_code == 503
    assert created.json()["error"]["code"] == "database_gone"
    peer = YPeer(live_server.ws_url, pad["id"], pad["edit_key"])
    await peer.connect()
    await peer.insert(0, "écrit après la suppression\n")
    code, _ = await peer.wait_closed()
    assert code == 1011
    live_server.stop()
    live_server.init = False
    with pytest.raises(RuntimeError, match="no database at"):
        live_server.start()
    assert not db.exists(), "an empty database was created over the removed one"
    live_server.init = True
