"""Fixtures that run the real thing: `skrid serve` in a subprocess on a temporary SQLite file."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.ypeer import YPeer

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "test-output"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """A `skrid serve` subprocess. Its stdout and stderr go to a log file that tests may read."""

    def __init__(self, db: Path, log_path: Path, env: dict[str, str]) -> None:
        self.db = db
        self.log_path = log_path
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.init = True
        """Start with `--init` (create the database when it is missing)."""

    def start(self) -> None:
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        init = ["--init"] if self.init else []
        command = [sys.executable, "-m", "server.cli", "serve", *init, "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--db", str(self.db)], stdout=log, stderr=log, env=env, cwd=ROOT
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start in 20 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)
        self.process = None

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def create_pad(self, title: str = "Webinaire", **fields: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/api/pads", json={"title": title, **fields})
        response.raise_for_status()
        return response.json()

    def peer(self, pad: dict[str, Any], role: str = "edit") -> YPeer:
        return YPeer(self.ws_url, pad["id"], pad[f"{role}_key"])

    async def read_text(self, pad: dict[str, Any]) -> str:
        async with self.peer(pad, "view") as peer:
            return str(peer.text)

    def text(self, pad: dict[str, Any]) -> str:
        """The server's current text, read by a fresh pycrdt client (usable from sync tests)."""
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self.read_text(pad)).result()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with settings given as keyword arguments (SKRID_* variables)."""
    servers: list[LiveServer] = []

    def make(db: Path | None = None, **settings: Any) -> LiveServer:
        env = {f"SKRID_{name.upper()}": str(value) for name, value in settings.items()}
        index = len(servers)
        server = LiveServer(db or tmp_path / "skrid.sqlite3", tmp_path / f"server{index}.log", env)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(server_factory: Callable[..., LiveServer]) -> LiveServer:
    return server_factory()


PEER_SCRIPT = ROOT / "tests" / "js" / "peer.mjs"


async def node_peers(server: LiveServer, pad: dict[str, Any], *args: str, role: str = "edit"):
    """Run real npm Yjs clients (tests/js/peer.mjs) on a pad; return (exit status, result)."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(PEER_SCRIPT),
        "--url",
        f"{server.ws_url}/ws",
        "--pad",
        pad["id"],
        "--key",
        pad[f"{role}_key"],
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    lines = out.decode().strip().splitlines()
    assert lines, f"peer.mjs printed nothing: {err.decode()[-2000:]}"
    return process.returncode, json.loads(lines[-1])
