"""A database file made immutable under a running server (`chattr +i`): SQLite maps its
shared-memory file, and a write to it killed the process with SIGBUS, logging nothing. The
server must stay up, refuse clearly, lose nothing it had relayed, and work again once the file
is writable."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer
from tests.ypeer import YPeer


def chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
async def test_an_immutable_database_file_is_refused_clearly_not_a_sigbus(
    live_server: LiveServer, suffix: str
) -> None:
    pad = live_server.create_pad("Fichier figé")
    peer = YPeer(live_server.ws_url, pad["id"], pad["edit_key"])
    await peer.connect()
    await peer.insert(0, "noté avant\n")
    target = live_server.db.with_name(live_server.db.name + suffix)
    assert "noté avant" in await live_server.read_text(pad)  # its answer waits for the commit
    if not chattr("+i", target):
        pytest.skip(f"cannot make {target.name} immutable here (chattr needs root and ext4/tmpfs)")
    try:
        await peer.insert(0, "noté pendant\n")
        code, _ = await peer.wait_closed()
        assert code == 1011
        joining = YPeer(live_server.ws_url, pad["id"], pad["edit_key"])
        await joining.connect(wait_synced=False)
        code, _ = await joining.wait_closed()
        assert code == 1011
        assert live_server.process is not None and live_server.process.poll() is None
        assert httpx.get(f"{live_server.url}/healthz").status_code == 503
        created = httpx.post(f"{live_server.url}/api/pads", json={"title": "Pendant"})
        assert created.status_code == 503
        error = created.json()["error"]
        assert error["code"] == "database_read_only"
        assert "cannot be written" in error["message"]
    finally:
        chattr("-i", target)
    assert httpx.get(f"{live_server.url}/healthz").status_code == 200
    assert httpx.post(f"{live_server.url}/api/pads", json={"title": "Après"}).status_code == 201
    assert "noté avant" in await live_server.read_text(pad)
    live_server.stop()
    live_server.start()
    assert "noté avant" in await live_server.read_text(pad)
