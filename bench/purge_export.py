"""Purge and export time of a large pad: 1 MB of notes built from 100,000 updates.

Builds the updates with pycrdt (typing in chunks, with addresses and phone numbers in
the text), feeds them through a real room (apply, group commit, compaction) on a real SQLite
file, then times, in-process, every export format and the purge (load, redact, rewrite
storage, forget). Prints medians.

    .venv/bin/python bench/purge_export.py [--megabytes 1] [--updates 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pycrdt import Doc, Text

from exports import EXPORT_FORMATS
from server.access import new_keys
from server.documents import pad_document
from server.lifecycle import Action
from server.registry import Registry
from server.settings import Settings
from server.store import PadRecord, SQLiteStore
from server.transitions import Transitions

LINES = [
    "Intervention de la maire sur le budget participatif, voir https://exemple.bzh/budget\n",
    "Question : comment les habitants sont-ils tirés au sort ? Réponse : liste électorale.\n",
    "Me tenir au courant : {name}@exemple.bzh\n",
    "Tél. de l'association : 06 12 34 {n:02d} {m:02d}\n",
    "Prochaine étape : restitution publique en janvier, salle des fêtes.\n",
]


def build_updates(megabytes: float, count: int, seed: int) -> tuple[list[bytes], str]:
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    doc = Doc()
    text = doc.get("content", type=Text)
    chunk = max(1, target // count)
    buffer = ""
    updates = []
    while len(updates) < count:
        if len(buffer) < chunk:
            line = rng.choice(LINES).format(
                name=f"personne{rng.randrange(10_000)}", n=rng.randrange(100), m=rng.randrange(100)
            )
            buffer += line
            continue
        piece, buffer = buffer[:chunk], buffer[chunk:]
        before = doc.get_state()
        text.insert(len(text), piece)
        updates.append(doc.get_update(before))
    return updates, str(text)


async def one_run(updates: list[bytes], workdir: Path) -> dict[str, float]:
    settings = Settings.from_env({}, db=str(workdir / "bench.sqlite3"))
    store = SQLiteStore(settings.db)
    await store.open()
    registry = Registry(store, settings)
    transitions = Transitions(store, registry, settings)
    pad = PadRecord(
        id="bench",
        title="Bench",
        created_at=datetime.now(UTC),
        starts_at=None,
        ends_at=None,
        purge_after_minutes=0,
        state="closed",
        keys=new_keys().hashes(),
    )
    await store.create_pad(pad)
    timings = {}
    start = time.perf_counter()
    async with registry.hold(pad.id) as room:
        for first in range(0, len(updates), 500):
            batch = updates[first : first + 500]
            await asyncio.gather(*(room.receive_update(u, origin=None) for u in batch))
        timings["typing: apply, store, compact (all updates)"] = time.perf_counter() - start
        document = pad_document(pad, room.doc, transitions.markers)
    for extension, export in EXPORT_FORMATS.items():
        start = time.perf_counter()
        await asyncio.to_thread(export.render_bytes, document)
        timings[f"export .{extension} (before purge)"] = time.perf_counter() - start
    await registry.unload(pad.id, force=True)
    start = time.perf_counter()
    await transitions.apply(pad.id, Action.PURGE, "bench")
    timings["purge (load, redact, rewrite, forget)"] = time.perf_counter() - start
    await registry.stop()
    await store.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    updates, text = build_updates(args.megabytes, args.updates, seed=1)
    print(f"pad: {len(text.encode()) / 1e6:.2f} MB of text from {len(updates)} updates")
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            runs.append(asyncio.run(one_run(updates, Path(workdir))))
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(
            f"  {name:40s} median {statistics.median(values):7.3f} s  (runs: "
            + ", ".join(f"{v:.3f}" for v in values)
            + ")"
        )


if __name__ == "__main__":
    main()
