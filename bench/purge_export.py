"""Purge and export time of a large pad: 1 MB of notes built from 100,000 updates.

Builds the updates with pycrdt (typing in chunks, with addresses and phone numbers in the text),
feeds them through a real room (apply, group commit, compaction) on a real SQLite file, then
times, in-process and with the server's garbage-collector settings, every export format
(building the document from the live pad, then rendering it, as
`GET /api/pads/{id}/export.{ext}` does) and the purge (load, redact, rewrite storage, forget).
Prints medians; `--json` prints one JSON object instead (`settings`, `median`, `runs`), with the
keys `bench/compare` reads.

    .venv/bin/python bench/purge_export.py [--megabytes 1] [--updates 100000] [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pycrdt import Doc, Text

from exports import EXPORT_FORMATS
from server.access import new_keys
from server.app import house_hooks
from server.export_gate import pad_document
from server.lifecycle import Action
from server.memory import tune_garbage_collector
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


LABELS = {
    "typing_s": "typing: apply, store, compact (all updates)",
    **{f"export_{ext}_s": f"export .{ext} (document, then render)" for ext in EXPORT_FORMATS},
    "purge_s": "purge (load, redact, rewrite, forget)",
}


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
        timings["typing_s"] = time.perf_counter() - start
        for extension, export in EXPORT_FORMATS.items():
            start = time.perf_counter()
            document = pad_document(pad, room.doc, house_hooks(settings), settings.timezone)
            await asyncio.to_thread(export.render_bytes, document)
            timings[f"export_{extension}_s"] = time.perf_counter() - start
    await registry.unload(pad.id, force=True)
    start = time.perf_counter()
    await transitions.apply(pad.id, Action.PURGE, "bench")
    timings["purge_s"] = time.perf_counter() - start
    await registry.stop()
    await store.close()
    return timings


def main() -> None:
    tune_garbage_collector()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    updates, text = build_updates(args.megabytes, args.updates, seed=1)
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as workdir:
            runs.append(asyncio.run(one_run(updates, Path(workdir))))
    median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    if args.json:
        settings = {**vars(args), "text_bytes": len(text.encode())}
        print(json.dumps({"settings": settings, "median": median, "runs": runs}))
        return
    print(f"pad: {len(text.encode()) / 1e6:.2f} MB of text from {len(updates)} updates")
    for name, value in median.items():
        shown = ", ".join(f"{run[name]:.3f}" for run in runs)
        print(f"  {LABELS[name]:44s} median {value:7.3f} s  (runs: {shown})")


if __name__ == "__main__":
    main()
