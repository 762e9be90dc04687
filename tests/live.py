"""Servers for tests, on a temporary SQLite file.

- `LiveServer`: `skrid serve` in a subprocess, for what is about the process: durability,
  kill -9, bytes on disk, the door, the real server's log, the CLI, the browser.
- `InProcessServer`: the same app (`create_app`) in the test's own event loop, with an
  injectable clock. Over httpx's ASGI transport (no socket, no port) for tests that only need
  HTTP; or, with `sockets=True`, served by uvicorn on a loopback port with the protocols of
  `skrid serve` (the door, the pad-socket protocol, the same WebSocket limits), for tests whose
  clients are real WebSocket clients (YPeer, `websockets`, the npm client run by Node).

Both start on a database created as `--init` does, and expose `url`, `ws_url`, `db`, `log()`,
`peer()` and `read_text()`; `create_pad` is a coroutine on the in-process one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from tests.ypeer import YPeer

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "test-output"
PEER_SCRIPT = ROOT / "tests" / "js" / "peer.mjs"
START_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setting_variables(settings: dict[str, Any]) -> dict[str, str]:
    """Keyword settings as the `SKRID_*` variables `skrid serve` reads. Test servers find names
    without spaCy's model unless a test asks for it (`names_model=True`): loading it costs
    seconds of CPU in each server that purges, and only the names' own tests are about it."""
    settings = {"names_model": False, **settings}
    return {f"SKRID_{name.upper()}": str(value) for name, value in settings.items()}


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
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start in {START_TIMEOUT} s")

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
        """A pad with empty notes unless `template` says otherwise (most tests type into it)."""
        body = {"title": title, "template": "plain", **fields}
        response = httpx.post(f"{self.url}/api/pads", json=body)
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


class FakeClock:
    """A clock for `create_app(settings, clock)` that moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Lifespan:
    """Drives an ASGI app's lifespan the way uvicorn does: startup, then shutdown; a failure
    to start is raised here with the app's message."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self.task = asyncio.create_task(self.app(scope, self.to_app.get, self.from_app.put))
        await self._step("lifespan.startup")

    async def shutdown(self) -> None:
        if self.task is None:
            return
        await self._step("lifespan.shutdown")
        await self.task
        self.task = None

    async def _step(self, event: str) -> None:
        assert self.task is not None
        await self.to_app.put({"type": event})
        answer = asyncio.ensure_future(self.from_app.get())
        await asyncio.wait(
            {answer, self.task}, timeout=START_TIMEOUT, return_when="FIRST_COMPLETED"
        )
        if not answer.done():
            answer.cancel()
            if self.task.done():
                self.task.result()  # the app's exception, if it raised one
            raise RuntimeError(f"the app did not answer {event}")
        message = answer.result()
        if message["type"] != f"{event}.complete":
            with contextlib.suppress(Exception):
                await self.task
            self.task = None
            raise RuntimeError(f"{message['type']}: {message.get('message', '')}")


class LogCapture(logging.Handler):
    """What the server logs, kept as text, as `skrid serve` configures it (server/logs.py): its
    own and uvicorn's loggers at the settings' level, through the same key filter; any other
    record reaches the log only from WARNING up (Python's last resort), tracebacks included."""

    SERVER_LOGGERS = ("skrid", "uvicorn")

    def __init__(self) -> None:
        from server.logs import NoKeys

        super().__init__()
        self.lines: list[str] = []
        self.addFilter(NoKeys())
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.server_level = logging.INFO
        self._previous: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        server = record.name.split(".", 1)[0] in self.SERVER_LOGGERS
        if record.levelno >= (self.server_level if server else logging.WARNING):
            self.lines.append(self.format(record))

    def attach(self, level: str) -> None:
        self.server_level = logging.getLevelName(level.upper())
        for name in self.SERVER_LOGGERS:
            logger = logging.getLogger(name)
            self._previous[name] = logger.level
            logger.setLevel(self.server_level)
        logging.getLogger().addHandler(self)

    def detach(self) -> None:
        logging.getLogger().removeHandler(self)
        for name, level in self._previous.items():
            logging.getLogger(name).setLevel(level)


class InProcessServer:
    """`create_app` in the test's event loop: over httpx.ASGITransport, or served by uvicorn
    on a loopback port when `sockets` (see the module's docstring)."""

    def __init__(
        self,
        db: Path,
        env: dict[str, str],
        clock: Callable[[], datetime] | None = None,
        sockets: bool = False,
    ) -> None:
        self.db = db
        self.env = env
        self.clock = clock
        self.sockets = sockets
        self.init = True
        """Create the database when it is missing, as `skrid serve --init`."""
        self.port = 0
        self.url = "http://testserver"
        self.ws_url = ""
        self.app: Any = None
        self._client: httpx.AsyncClient | None = None
        self.captured = LogCapture()
        self._lifespan: Lifespan | None = None
        self._uvicorn: Any = None
        self._serving: asyncio.Task[None] | None = None
        self._attached = False

    @property
    def settings(self) -> Any:
        return self.app.state.settings

    @property
    def client(self) -> httpx.AsyncClient:
        """An httpx client on the app, with `url` as its base URL (while started)."""
        assert self._client is not None, "the server is not started"
        return self._client

    async def start(self) -> None:
        from server.app import create_app
        from server.settings import Settings

        overrides: dict[str, Any] = {"db": str(self.db), "create_db": self.init}
        if self.sockets:
            overrides.update(host="127.0.0.1", port=self.port)
        settings = Settings.from_env({**os.environ, **self.env}, **overrides)
        if not self._attached:
            self.captured.attach(settings.log_level)
            self._attached = True
        self.app = create_app(settings, *([self.clock] if self.clock else []))
        if self.sockets:
            await self._serve(settings)
            self._client = httpx.AsyncClient(base_url=self.url, timeout=60)
        else:
            self._lifespan = Lifespan(self.app)
            await self._lifespan.startup()
            transport = httpx.ASGITransport(self.app)
            self._client = httpx.AsyncClient(transport=transport, base_url=self.url, timeout=60)

    async def _serve(self, settings: Any) -> None:
        """uvicorn with the arguments of `skrid serve` (server/cli.py), less its logging set-up
        (the records come to `LogCapture`) and its signal handlers (the test runner's stay)."""
        from server.cli import uvicorn_options

        config = uvicorn.Config(self.app, log_config=None, **uvicorn_options(settings))
        server = QuietServer(config)
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self._uvicorn = server
        self._serving = asyncio.create_task(server.serve(sockets=[listener]))
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if self._serving.done():
                listener.close()
                with contextlib.suppress(SystemExit):  # uvicorn's exit when the app fails
                    self._serving.result()
                raise RuntimeError(f"server exited: {self.log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start in {START_TIMEOUT} s")
            await asyncio.sleep(0.005)
        self._listener = listener

    async def stop(self) -> None:
        """A graceful stop, like SIGTERM to `skrid serve`: sockets closed, writes stored."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._serving is not None:
            self._uvicorn.should_exit = True
            await self._serving
            self._serving = None
            self._listener.close()
        if self._lifespan is not None:
            await self._lifespan.shutdown()
            self._lifespan = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def close(self) -> None:
        await self.stop()
        if self._attached:
            self.captured.detach()
            self._attached = False

    def log(self) -> str:
        return "\n".join(self.captured.lines)

    async def create_pad(self, title: str = "Webinaire", **fields: Any) -> dict[str, Any]:
        """A pad with empty notes unless `template` says otherwise (most tests type into it)."""
        body = {"title": title, "template": "plain", **fields}
        response = await self.client.post("/api/pads", json=body)
        response.raise_for_status()
        return response.json()

    def peer(self, pad: dict[str, Any], role: str = "edit") -> YPeer:
        assert self.sockets, "pad sockets need `sockets=True`"
        return YPeer(self.ws_url, pad["id"], pad[f"{role}_key"])

    async def read_text(self, pad: dict[str, Any]) -> str:
        async with self.peer(pad, "view") as peer:
            return str(peer.text)


class QuietServer(uvicorn.Server):
    """uvicorn's server without its signal handlers (Ctrl-C stays the test runner's)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def main_loop(self) -> None:
        """uvicorn's, looking for `should_exit` every 10 ms rather than 100: a test stops
        its server in 0.1 s less."""
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            await asyncio.sleep(0.01)


AppFactory = Callable[..., Awaitable[InProcessServer]]


async def node_peers(server: Any, pad: dict[str, Any], *args: str, role: str = "edit"):
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
