"""The attack of issue #17.2, replayed: one edit-key socket sending 1 MiB updates, reconnecting
each time it is closed, for `--seconds`, while a writer and a reader on another pad time a line
every 20 ms. Before the size limit, such a socket grew a pad to 600 MB in 9 minutes (the
database and its WAL to 2.4 GB, the server to 1.9 GB, other pads' relays waited up to 6.8 s).

Prints how many updates were refused and with which close code, the pad's stored size, the
database's and WAL's size, the server's resident memory, and the other pad's relay latency
(median, p99, max).

    PYTHONPATH=. .venv/bin/python bench/pad_growth.py [--seconds 30] [--update-mib 1]

(`PYTHONPATH=.`: it starts its server with the tests' `LiveServer`.)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import websockets

from tests.live import LiveServer
from tests.ypeer import YPeer


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def attack(server: LiveServer, pad: dict[str, str], size: int, until: float) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    while time.monotonic() < until:
        peer = server.peer(pad)
        try:
            await peer.connect()
            while time.monotonic() < until and peer.close_code is None:
                await peer.append("x" * size)
                outcomes["sent"] += 1
                await asyncio.sleep(0.05)
            code, _ = await peer.wait_closed(timeout=max(0.1, until - time.monotonic()))
            outcomes[f"closed {code}"] += 1
        except (websockets.ConnectionClosed, TimeoutError):
            outcomes["closed while sending"] += 1
        finally:
            await peer.close()
    return outcomes


async def probe(server: LiveServer, pad: dict[str, str], until: float) -> list[float]:
    writer: YPeer = await server.peer(pad).connect()
    reader: YPeer = await server.peer(pad, "view").connect()
    latencies: list[float] = []
    index = 0
    while time.monotonic() < until:
        line = f"[ligne {index}]\n"
        sent = time.perf_counter()
        await writer.append(line)
        await reader.wait_text(str(writer.text), timeout=30)
        latencies.append((time.perf_counter() - sent) * 1000)
        index += 1
        await asyncio.sleep(0.02)
    await writer.close()
    await reader.close()
    return latencies


async def run(args: argparse.Namespace, folder: Path) -> None:
    db = folder / "growth.sqlite3"
    server = LiveServer(db, folder / "server.log", {})
    server.start()
    try:
        target, other = server.create_pad("Cible"), server.create_pad("Autre")
        until = time.monotonic() + args.seconds
        outcomes, latencies = await asyncio.gather(
            attack(server, target, int(args.update_mib * 1024 * 1024), until),
            probe(server, other, until),
        )
        assert server.process is not None
        rss = resident_mib(server.process.pid)
        stored = len(await server.read_text(target))
        wal = db.with_name(db.name + "-wal")
        ordered = sorted(latencies)
        print(f"attack: {args.seconds:g} s of {args.update_mib:g} MiB updates; {dict(outcomes)}")
        print(f"pad's text after the attack: {stored / 1024 / 1024:.2f} MiB")
        print(
            f"database {db.stat().st_size / 1024 / 1024:.1f} MiB,"
            f" WAL {wal.stat().st_size / 1024 / 1024 if wal.exists() else 0:.1f} MiB;"
            f" server RSS {rss:.0f} MiB"
        )
        print(
            f"other pad's relay: median {statistics.median(ordered):.0f} ms,"
            f" p99 {ordered[int(0.99 * (len(ordered) - 1))]:.0f} ms, max {ordered[-1]:.0f} ms"
            f" ({len(ordered)} lines)"
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--update-mib", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pad_growth-") as folder:
        asyncio.run(run(args, Path(folder)))


if __name__ == "__main__":
    main()
