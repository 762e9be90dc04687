"""Slow requests against a real `skrid serve` (issue 17): N half-sent requests (HTTP and
WebSocket handshakes) from one address, while another address asks for /healthz.

Prints how many were held, refused (503) and later dropped (408), and /healthz's median and
worst latency during the attack. The server runs under the soft and hard open-file limit
`--nofile` (1,024 by default, the common one, which it cannot raise), so the figures show the
limits of server/door.py at work, not a large file table.

    .venv/bin/python bench/slow_requests.py --connections 1100 --timeout 10
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HALF = [
    b"GET /healthz HTTP/1.1\r\nHost: skrid\r\nX-Slow: ",
    b"GET /ws/pad?k=x HTTP/1.1\r\nHost: skrid\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(url: str, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        started = time.monotonic()
        try:
            ok = httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            ok = False
        times.append(time.monotonic() - started if ok else float("inf"))
    return times


def state(sock: socket.socket) -> str:
    sock.setblocking(False)
    try:
        data = sock.recv(64)
    except BlockingIOError:
        return "held"
    except OSError:
        return "reset"
    if data.startswith(b"HTTP/1.1 503"):
        return "503"
    if data.startswith(b"HTTP/1.1 408"):
        return "408"
    return "closed" if not data else "answered"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=1100)
    parser.add_argument("--nofile", type=int, default=1024)
    parser.add_argument("--timeout", type=float, default=10.0, help="request_timeout_seconds")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SKRID_REQUEST_TIMEOUT_SECONDS": str(args.timeout)}
        limit = (args.nofile, args.nofile)
        with Path(tmp, "server.log").open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--init", "--port", str(port),
                 "--db", f"{tmp}/bench.sqlite3"],
                cwd=ROOT, env=env, stdout=log, stderr=log,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, limit),
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            before = healthz(url, 20)
            held = []
            started = time.monotonic()
            for n in range(args.connections):
                sock = socket.socket()
                sock.bind(("127.0.0.2", 0))
                sock.connect(("127.0.0.1", port))
                sock.sendall(HALF[n % 2])
                held.append(sock)
            opened = time.monotonic() - started
            during = healthz(url, 50)
            time.sleep(1)
            states = [state(sock) for sock in held]
            time.sleep(args.timeout + 1)
            after = [state(sock) for sock in held if states[held.index(sock)] == "held"]
            for sock in held:
                sock.close()
            print(
                f"{args.connections} half-sent from one address in {opened:.2f} s "
                f"(server's open-file limit {args.nofile})"
            )
            for name in ("held", "503", "reset", "closed"):
                print(f"  {name}: {states.count(name)}")
            print(
                f"  of the held, after {args.timeout + 1:g} s: 408 {after.count('408')}, "
                f"still held {after.count('held')}"
            )
            for label, times in (("before", before), ("during", during)):
                finite = [t for t in times if t != float("inf")]
                print(
                    f"  /healthz {label}: median {statistics.median(finite) * 1000:.1f} ms, "
                    f"worst {max(finite) * 1000:.1f} ms, failed {len(times) - len(finite)}"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
            print("  log:", *[line for line in Path(tmp, "server.log").read_text().splitlines()
                               if "skrid.door" in line], sep="\n    ")  # fmt: skip


if __name__ == "__main__":
    main()
