"""How long a purge stalls the other pads, on a large database: two server versions compared.

Builds a database of `--pads` (100) pads of `--pad-megabytes` (4) MB of notes each, plus one
pad of `--target-megabytes` (1) MB holding `--addresses` (15,000) e-mail addresses, through a
real server (the pads created with `POST /api/pads`, each pad's notes sent as a few large Yjs
updates), stops it cleanly (no WAL left) and keeps the file. Then, for each version, scenario
and run, it starts that version's `skrid serve` on a fresh copy of the file, connects a writer
and a reader to one of the large pads (not the one purged), has the writer append a short line
every `--interval-ms` (20) ms and times each line until the reader holds it (fan-out latency),
and purges the 1 MB pad through `POST /api/pads/{id}/purge`:

- `plain`: nothing else touches the database. The purge window runs from the request to
  `--after-seconds` (2) s after its answer; the baseline is the `--baseline-seconds` (3) s before
  the request.
- `reader`: another process holds a read transaction on the database (`BEGIN`, then a `SELECT`)
  from before the baseline until `--release-seconds` (3) s after the purge answered; the window
  runs until `--after-seconds` after the release. Right after the answer, a niced subprocess
  counts a few of the purged addresses, as bytes, in the `.db` and `-wal` files.

In both scenarios the files are searched again after a clean stop (SIGTERM) of the server,
and the purged pad's state is read from the file (`purging`: the purge is still to be completed,
at the next start).
Latencies are those of the lines sent in each window; a line still missing after the drain
counts with the time it waited. Prints one table of medians across runs (per version and
scenario), each run's figures on stderr as it ends, and the command line. The client is
small (websockets, pycrdt, and the varint reader of server.protocol), and nothing else of
the server under test is imported.

    .venv/bin/python bench/purge_stall.py --before /tmp/skrid-before [--after .] [--runs 3]

`--before` and `--after` are checkouts of the server (for an old commit:
`git worktree add /tmp/skrid-before HEAD`); each runs with this interpreter, from its own
folder, with no flag but `--port` and `--db` (the database file exists: no `--init` needed).
Everything is on loopback; temporary files (about 1.5 GB at most) go to a folder under `--tmp`
(/tmp) that is removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from pycrdt import Doc, Text, write_var_uint

from server.protocol import read_var_uint

ROOT = Path(__file__).resolve().parent.parent

NOTE_LINES = [
    "Intervention de la maire sur le budget participatif, voir https://exemple.bzh/budget\n",
    "Question : comment les habitants sont-ils tirés au sort ? Réponse : liste électorale.\n",
    "Prochaine étape : restitution publique en janvier, salle des fêtes.\n",
    "- Slides : https://example.org/webinaires/{n}/slides.pdf\n",
    "Le taux passe de {n} % à {m} % entre 2019 et 2024.\n",
    "We discussed the point about heat pumps at length; see the notes below.\n",
    "Merci à toutes et à tous pour votre participation !\n",
]
TARGET_DOMAIN = "purge-cible.bzh"
FRAME_CHARS = 1_500_000
"""Characters per update when building: under 3.5 MB of UTF-8 even if every one took two bytes
(the server's largest frame is 4 MiB by default)."""

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("BEGIN")
db.execute("SELECT count(*) FROM updates").fetchall()
print("ready", flush=True)
sys.stdin.readline()
db.rollback()
db.close()
"""

SCAN = """
import json, os, sys
os.nice(int(sys.argv[1]))
needles = [n.encode() for n in json.loads(sys.argv[2])]
counts = []
for path in sys.argv[3:]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        data = b""
    counts.append(sum(data.count(n) for n in needles))
print(json.dumps(counts))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def target_address(index: int) -> str:
    return f"inscrit{index:05d}@{TARGET_DOMAIN}"


# --- a minimal y-websocket client (message type 0: sync; 0 step 1, 1 step 2, 2 update) ---


def sync_frame(kind: int, payload: bytes) -> bytes:
    return b"\x00" + write_var_uint(kind) + write_var_uint(len(payload)) + payload


class Peer:
    """Keeps a Doc in step with one pad: sync step 1 on connect, answers the server's step 1,
    applies its step 2 and updates."""

    def __init__(self, ws_url: str, pad_id: str, key: str) -> None:
        self.url = f"{ws_url}/ws/{pad_id}?k={key}"
        self.doc = Doc()
        self.text = self.doc.get("content", type=Text)
        self.synced = asyncio.Event()
        self.ws: Any = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self, timeout: float = 60) -> Peer:
        self.ws = await websockets.connect(self.url, max_size=None, compression=None)
        self._reader = asyncio.create_task(self._read())
        await self.ws.send(sync_frame(0, self.doc.get_state()))
        await asyncio.wait_for(self.synced.wait(), timeout)
        return self

    async def _read(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for frame in self.ws:
                if isinstance(frame, str) or not frame or frame[0] != 0:
                    continue  # awareness, pad events
                kind, pos = read_var_uint(frame, 1)
                size, pos = read_var_uint(frame, pos)
                payload = frame[pos : pos + size]
                if kind == 0:
                    await self.ws.send(sync_frame(1, self.doc.get_update(payload)))
                else:
                    self.doc.apply_update(payload)
                    if kind == 1:
                        self.synced.set()

    async def append(self, value: str) -> None:
        before = self.doc.get_state()
        self.text.insert(len(self.text), value)
        await self.ws.send(sync_frame(2, self.doc.get_update(before)))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


# --- servers ---


class Server:
    """`python -m server.cli serve` of one checkout, on loopback, its output in a log file."""

    def __init__(self, tree: Path, db: Path, log_path: Path, env: dict[str, str] | None = None):
        self.tree = tree
        self.db = db
        self.log_path = log_path
        self.env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, init: bool = False, timeout: float = 60) -> None:
        command = [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)]
        if init and '"--init"' in (self.tree / "server" / "cli.py").read_text():
            command.append("--init")
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        with self.log_path.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "--db", str(self.db)], stdout=out, stderr=out, env=env, cwd=self.tree
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"server in {self.tree} exited at start:\n{tail}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server in {self.tree} did not start in {timeout} s")

    def stop(self) -> float:
        """SIGTERM and wait; the seconds the stop took."""
        start = time.perf_counter()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        return time.perf_counter() - start


# --- the database ---


def notes(rng: random.Random, megabytes: float) -> str:
    pool = [
        line.format(n=rng.randrange(100), m=rng.randrange(100))
        for line in NOTE_LINES
        for _ in range(50)
    ]
    pool += [f"Me tenir au courant : personne{i}@exemple.bzh\n" for i in range(50)]
    average = sum(len(line.encode()) for line in pool) / len(pool)
    return "".join(rng.choices(pool, k=int(megabytes * 1_000_000 / average)))


def target_notes(megabytes: float, addresses: int) -> str:
    per_line = int(megabytes * 1_000_000 / addresses)
    lines = []
    for index in range(addresses):
        line = f"Inscription {index} : {target_address(index)}"
        lines.append(line + " " + "." * max(0, per_line - len(line) - 2) + "\n")
    return "".join(lines)


async def fill_pad(server: Server, pad: dict[str, Any], content: str) -> None:
    peer = await Peer(server.ws_url, pad["id"], pad["edit_key"]).connect()
    for first in range(0, len(content), FRAME_CHARS):
        await peer.append(content[first : first + FRAME_CHARS])
    await asyncio.sleep(0.5)
    await peer.close()


async def build_pads(server: Server, args: argparse.Namespace) -> dict[str, Any]:
    pads: dict[str, Any] = {"notes": [], "target": None}
    semaphore = asyncio.Semaphore(4)
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:

        async def create(title: str) -> dict[str, Any]:
            response = await http.post("/api/pads", json={"title": title})
            response.raise_for_status()
            return response.json()

        async def one(index: int) -> None:
            async with semaphore:
                pad = await create(f"Webinaire {index}")
                content = await asyncio.to_thread(notes, random.Random(index), args.pad_megabytes)
                await fill_pad(server, pad, content)
                pads["notes"].append(pad)

        await asyncio.gather(*(one(index) for index in range(args.pads)))
        target = await create("Inscriptions")
        await fill_pad(server, target, target_notes(args.target_megabytes, args.addresses))
        pads["target"] = target
    return pads


def describe_db(path: Path, pads: dict[str, Any]) -> str:
    db = sqlite3.connect(path)
    try:
        sizes = dict(
            db.execute(
                "SELECT pad_id, SUM(n) FROM (SELECT pad_id, length(data) AS n FROM snapshots"
                " UNION ALL SELECT pad_id, length(data) FROM updates) GROUP BY pad_id"
            ).fetchall()
        )
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        page = db.execute("PRAGMA page_size").fetchone()[0]
    finally:
        db.close()
    note_sizes = [sizes.get(pad["id"], 0) for pad in pads["notes"]]
    if min(note_sizes) < 0.9 * max(note_sizes) or not sizes.get(pads["target"]["id"]):
        raise RuntimeError(f"some pads were not stored: {sorted(note_sizes)[:5]} ...")
    return (
        f"{path.stat().st_size / 1e6:.0f} MB, {len(sizes)} pads with a document: "
        f"{len(note_sizes)} of {statistics.median(note_sizes) / 1e6:.2f} MB (median) and "
        f"one of {sizes[pads['target']['id']] / 1e6:.2f} MB; {free * page / 1e6:.1f} MB free"
    )


def checkpoint(path: Path) -> None:
    """Fold any WAL left into the file (a clean stop leaves none) and delete it."""
    if Path(f"{path}-wal").exists():
        db = sqlite3.connect(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def pad_state(path: Path, pad_id: str) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT state FROM pads WHERE id = ?", (pad_id,)).fetchone()[0]
    finally:
        db.close()


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def scan(path: Path, needles: list[str], nice: int = 0) -> tuple[int, int]:
    """Occurrences of the needles in the database file and in its WAL, in a subprocess."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SCAN,
        str(nice),
        json.dumps(needles),
        str(path),
        f"{path}-wal",
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    db_count, wal_count = json.loads(out)
    return db_count, wal_count


# --- one run ---


def room_for(args: argparse.Namespace) -> dict[str, str]:
    """A maximum pad size that lets the benchmark's pads in (its pads may be bigger than the
    default's)."""
    largest = max(args.pad_megabytes, args.target_megabytes)
    return {"SKRID_MAX_DOCUMENT_BYTES": str(int(largest * 2 * 1024 * 1024))}


@dataclass
class Probe:
    """The writer's lines and when the reader saw each."""

    sent: dict[int, float] = field(default_factory=dict)
    seen: dict[int, float] = field(default_factory=dict)

    def latencies(self, start: float, end: float, now: float) -> tuple[list[float], int]:
        values, missing = [], 0
        for index, at in self.sent.items():
            if start <= at < end:
                seen = self.seen.get(index)
                missing += seen is None
                values.append(((seen if seen is not None else now) - at) * 1000)
        return values, missing


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


async def write_lines(writer: Peer, probe: Probe, interval: float, stop: asyncio.Event) -> None:
    start = time.perf_counter()
    index = 0
    while not stop.is_set():
        due = start + index * interval
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        probe.sent[index] = time.perf_counter()
        await writer.append(f"[ligne {index}]\n")
        index += 1


async def one_run(
    version: str,
    tree: Path,
    scenario: str,
    base_db: Path,
    pads: dict[str, Any],
    needles: list[str],
    workdir: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    db = workdir / "run.sqlite3"
    shutil.copyfile(base_db, db)
    server = Server(tree, db, workdir / f"{version}.log", room_for(args))
    holder: asyncio.subprocess.Process | None = None
    peers: list[Peer] = []
    try:
        for attempt in range(args.start_retries + 1):
            try:
                server.start()
                break
            except RuntimeError as error:
                if attempt == args.start_retries:
                    raise
                log(f"{version}: {error}; retrying in 60 s")
                await asyncio.sleep(60)
        other = pads["notes"][0]
        writer = await Peer(server.ws_url, other["id"], other["edit_key"]).connect()
        reader = await Peer(server.ws_url, other["id"], other["view_key"]).connect()
        peers = [writer, reader]
        probe = Probe()
        pattern = re.compile(r"\[ligne (\d+)\]")

        def on_change(event: Any) -> None:
            now = time.perf_counter()
            for part in event.delta:
                inserted = part.get("insert")
                if isinstance(inserted, str):
                    for match in pattern.finditer(inserted):
                        probe.seen.setdefault(int(match.group(1)), now)

        subscription = reader.text.observe(on_change)
        stop = asyncio.Event()
        writing = asyncio.create_task(write_lines(writer, probe, args.interval_ms / 1000, stop))
        await asyncio.sleep(args.warmup_seconds)
        if scenario == "reader":
            holder = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                HOLDER,
                str(db),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            assert holder.stdout is not None
            if (await holder.stdout.readline()).strip() != b"ready":
                raise RuntimeError("the reading process did not start")
        await asyncio.sleep(args.baseline_seconds)
        target = pads["target"]
        async with httpx.AsyncClient(base_url=server.url, timeout=300) as http:
            purge_start = time.perf_counter()
            response = await http.post(
                f"/api/pads/{target['id']}/purge",
                headers={"Authorization": f"Bearer {target['host_key']}"},
            )
            purge_end = time.perf_counter()
        result: dict[str, Any] = {
            "status": response.status_code,
            "state": response.json().get("state") if response.status_code < 300 else None,
            "purge_s": purge_end - purge_start,
        }
        window_end = purge_end + args.after_seconds
        if holder is not None:
            found = asyncio.create_task(scan(db, needles, nice=10))
            await asyncio.sleep(max(0.0, purge_end + args.release_seconds - time.perf_counter()))
            assert holder.stdin is not None
            holder.stdin.write(b"\n")
            holder.stdin.close()
            await holder.wait()
            holder = None
            window_end = time.perf_counter() + args.after_seconds
            result["db_after_answer"], result["wal_after_answer"] = await found
        await asyncio.sleep(max(0.0, window_end - time.perf_counter()))
        stop.set()
        await writing
        drain_end = time.perf_counter() + args.drain_seconds
        while len(probe.seen) < len(probe.sent) and time.perf_counter() < drain_end:
            await asyncio.sleep(0.05)
        now = time.perf_counter()
        reader.text.unobserve(subscription)
        before, missing_before = probe.latencies(
            purge_start - args.baseline_seconds, purge_start, now
        )
        during, missing_during = probe.latencies(purge_start, window_end, now)
        result.update(
            before_p50_ms=statistics.median(before),
            before_p99_ms=p99(before),
            before_max_ms=max(before),
            during_p50_ms=statistics.median(during),
            during_p99_ms=p99(during),
            during_max_ms=max(during),
            missing=missing_before + missing_during,
            lines=len(before) + len(during),
        )
    finally:
        for peer in peers:
            with contextlib.suppress(Exception):
                await peer.close()
        if holder is not None:
            holder.kill()
            await holder.wait()
        result_stop = server.stop()
    result["stop_s"] = result_stop
    result["state_after_stop"] = pad_state(db, pads["target"]["id"])
    result["db_after_stop"], result["wal_after_stop"] = await scan(db, needles)
    remove_db(db)
    return result


# --- the table ---

COLUMNS = [
    ("purge", lambda r: f"{r['status']} {r['state'] or ''}".strip()),
    ("purge s", lambda r: f"{r['purge_s']:.2f}"),
    ("p99 before", lambda r: f"{r['before_p99_ms']:.0f}"),
    ("max before", lambda r: f"{r['before_max_ms']:.0f}"),
    ("p99 purge", lambda r: f"{r['during_p99_ms']:.0f}"),
    ("max purge", lambda r: f"{r['during_max_ms']:.0f}"),
    ("missing", lambda r: f"{r['missing']:.0f}"),
    (
        "addr after answer db/wal",
        lambda r: (
            f"{r['db_after_answer']:.0f}/{r['wal_after_answer']:.0f}"
            if "db_after_answer" in r
            else "-"
        ),
    ),
    ("addr after stop db/wal", lambda r: f"{r['db_after_stop']:.0f}/{r['wal_after_stop']:.0f}"),
    ("state after stop", lambda r: r["state_after_stop"]),
    ("stop s", lambda r: f"{r['stop_s']:.1f}"),
]


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    median: dict[str, Any] = {}
    for name, value in runs[0].items():
        if isinstance(value, int | float) and name != "status":
            median[name] = statistics.median(run[name] for run in runs)
        else:
            median[name] = "|".join(sorted({str(run[name]) for run in runs}))
    return median


def print_table(results: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    header = ["version", "scenario", "runs", *(name for name, _ in COLUMNS)]
    rows = []
    for (version, scenario), runs in results.items():
        median = median_run(runs)
        rows.append([version, scenario, str(len(runs)), *(show(median) for _, show in COLUMNS)])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, default=Path("/tmp/skrid-before"))
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--versions", default="before,after", help="comma-separated")
    parser.add_argument("--scenarios", default="plain,reader", help="comma-separated")
    parser.add_argument("--build-with", default="before", help="the version that builds the db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pads", type=int, default=100)
    parser.add_argument("--pad-megabytes", type=float, default=4.0)
    parser.add_argument("--target-megabytes", type=float, default=1.0)
    parser.add_argument("--addresses", type=int, default=15_000)
    parser.add_argument("--interval-ms", type=float, default=20.0)
    parser.add_argument("--warmup-seconds", type=float, default=1.0)
    parser.add_argument("--baseline-seconds", type=float, default=3.0)
    parser.add_argument("--after-seconds", type=float, default=2.0)
    parser.add_argument("--release-seconds", type=float, default=3.0)
    parser.add_argument("--drain-seconds", type=float, default=20.0)
    parser.add_argument("--start-retries", type=int, default=2, help="60 s apart")
    parser.add_argument("--tmp", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    versions = args.versions.split(",")
    scenarios = args.scenarios.split(",")
    for version in {*versions, args.build_with}:
        if not (trees[version] / "server" / "cli.py").exists():
            parser.error(f"no server checkout for {version!r} at {trees[version]}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="purge_stall-") as folder:
        workdir = Path(folder)
        base_db = workdir / "base.sqlite3"
        build_env = {
            "SKRID_PAD_BURST": str(args.pads + 10),
            "SKRID_PADS_PER_MINUTE": str(args.pads + 10),
            **room_for(args),
        }
        builder = Server(trees[args.build_with], base_db, workdir / "build.log", build_env)
        builder.start(init=True)
        try:
            pads = asyncio.run(build_pads(builder, args))
        finally:
            builder.stop()
        checkpoint(base_db)
        build_s = time.perf_counter() - started
        log(f"database built with {args.build_with} in {build_s:.0f} s")
        shape = describe_db(base_db, pads)
        indices = [0, args.addresses // 3, 2 * args.addresses // 3, args.addresses - 1]
        needles = [target_address(index) for index in indices]
        in_base = asyncio.run(scan(base_db, needles))[0]
        results: dict[tuple[str, str], list[dict[str, Any]]] = {
            (version, scenario): [] for version in versions for scenario in scenarios
        }
        for number in range(args.runs):
            for version in versions:
                for scenario in scenarios:
                    result = asyncio.run(
                        one_run(
                            version,
                            trees[version],
                            scenario,
                            base_db,
                            pads,
                            needles,
                            workdir,
                            args,
                        )
                    )
                    results[version, scenario].append(result)
                    shown = ", ".join(
                        f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                        for k, v in result.items()
                    )
                    log(f"run {number + 1} {version} {scenario}: {shown}")
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(f"database: {shape}; built in {build_s:.0f} s")
    print(
        f"writer and reader on another 4 MB pad, a line every {args.interval_ms:g} ms; "
        f"purged: a {args.target_megabytes:g} MB pad with {args.addresses} addresses; "
        f"{len(needles)} of them occur {in_base} times in the base file"
    )
    print(
        f"latencies in ms; 'before' = the {args.baseline_seconds:g} s before the purge request; "
        f"'purge' = from the request to {args.after_seconds:g} s after its answer (reader: "
        f"after the read transaction's release, {args.release_seconds:g} s after the answer)"
    )
    print(f"medians over {args.runs} runs; total {time.perf_counter() - started:.0f} s")
    for version in versions:
        print(f"  {version}: {trees[version]}")
    print()
    print_table(results)


if __name__ == "__main__":
    main()
