"""What a pad's size costs, to choose `max_document_bytes` and the compaction thresholds.

For pads of 1 to 16 MB of notes: encoding the whole state (a new client's sync, a compaction),
loading it back (a room load), loading a log of keystroke rows (a room load before compaction),
and the bytes compaction writes while a pad grows to that size by 256 KB updates, with the old
fixed threshold (every 1 MB of log) and the room's (once the log is as big as the snapshot).
Pure pycrdt, in-process; medians of `--runs`. Purge and export times at those sizes come from
`bench/purge_export.py --megabytes N`.

    .venv/bin/python bench/pad_size.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable

from pycrdt import Doc, Text

from server.room import COMPACT_ROW_BYTES, compaction_due, load_doc
from server.settings import Settings
from server.store import StoredDocument

LINE = "- une ligne de notes prises pendant le webinaire, assez typique\n"
MB = 1024 * 1024
GROWTH = 256 * 1024


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def pad_of(megabytes: int) -> Doc:
    doc = Doc()
    text = doc.get("content", type=Text)
    block = LINE * 1000
    while len(text) < megabytes * MB:
        text.insert(len(text), block)
    return doc


def keystroke_rows(count: int) -> list[bytes]:
    doc = Doc()
    text = doc.get("content", type=Text)
    rows: list[bytes] = []
    doc.observe(lambda event: rows.append(event.update))
    for index in range(count):
        text.insert(len(text), LINE[index % len(LINE)])
    return rows


def load(parts: list[bytes]) -> None:
    """As a room loads a pad: the snapshot and the log merged (on a thread), then applied."""
    asyncio.run(load_doc("bench", StoredDocument(parts[0], parts[1:])))


def compaction_bytes(megabytes: int, fixed: bool) -> int:
    """Bytes of snapshots written while a pad grows to `megabytes` by GROWTH-byte updates;
    `fixed` is the old rule, a snapshot after every `compact_after_bytes` of log."""
    settings = Settings()
    snapshot = log = rows = written = 0
    for size in range(GROWTH, megabytes * MB + 1, GROWTH):
        log, rows = log + GROWTH, rows + 1
        due = (
            log >= settings.compact_after_bytes
            if fixed
            else compaction_due(rows, log, snapshot, settings)
        )
        if due:
            written += size
            snapshot, log, rows = size, 0, 0
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print("size | encode (sync) ms | load snapshot ms | compaction writes: fixed / growing")
    for megabytes in (1, 2, 4, 8, 16):
        doc = pad_of(megabytes)
        state = doc.get_update()
        encode = median_ms(doc.get_update, runs)
        loaded = median_ms(lambda state=state: load([state]), runs)
        fixed = compaction_bytes(megabytes, fixed=True) / MB
        growing = compaction_bytes(megabytes, fixed=False) / MB
        print(
            f"{megabytes:>2} MB | {encode:8.1f} | {loaded:8.1f} |"
            f" {fixed:6.1f} MB / {growing:5.1f} MB ({fixed / megabytes:.1f}x / "
            f"{growing / megabytes:.1f}x the pad)"
        )
    print(
        f"\nlog rows (a room load before compaction; one row per keystroke, {COMPACT_ROW_BYTES}"
        " bytes of snapshot each by the room's rule)"
    )
    for count in (500, 1000, 2048, 4000, 8000):
        rows = keystroke_rows(count)
        print(f"{count:>6} rows: load {median_ms(lambda rows=rows: load(rows), runs):6.1f} ms")


if __name__ == "__main__":
    main()
