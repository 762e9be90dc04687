"""What the typed API models cost a request, against the hand-written code they replaced.

Two bodies, each timed per request, in-process:
- pad creation: the decoded JSON body of `POST /api/pads` to its validated fields (the hand-written
  `pad_fields` against `server.models.new_pad`);
- pad metadata: a stored pad to the bytes of `GET /api/pads/{id}` (the hand-written dict and
  Starlette's `JSONResponse` against the `Pad` model and its serialiser).
The hand-written path is the `server/api.py` of `--old-ref` (a commit before the models), read
with `git show` into a temporary directory and loaded as a module of the `server` package. Both
paths must give the same fields and the same bytes, or the script stops. With msgspec importable
(it is not a dependency), a third row times msgspec Structs of the same types, with the same
custom checks: the lighter library, for the choice in server/models.py.

    .venv/bin/python bench/api_validation.py [--runs 5] [--seconds 0.5] [--old-ref b8b6516]
    PYTHONPATH=/path/to/msgspec .venv/bin/python bench/api_validation.py   # with the msgspec row
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.responses import JSONResponse

from server import api, models
from server.access import Role, new_keys
from server.settings import Settings
from server.store import PadRecord

ROOT = Path(__file__).resolve().parent.parent
BODY: dict[str, Any] = {
    "title": "Webinaire : la convention citoyenne sur le climat",
    "starts_at": "2026-12-03T18:00:00+01:00",
    "ends_at": "2026-12-03T19:30:00+01:00",
    "purge_after_minutes": 90,
}
"""A typical new pad: a title with accents, both times with an offset, the purge delay."""


def old_api(ref: str, directory: Path) -> ModuleType:
    """`server/api.py` at `ref`, as the module `server.api_at_ref`: its relative imports resolve
    against today's package (errors, lifecycle, store), which the old code only reads."""
    source = subprocess.run(
        ["git", "show", f"{ref}:server/api.py"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    path = directory / "api_at_ref.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("server.api_at_ref", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def stored_pad() -> PadRecord:
    return PadRecord(
        id="bench-pad-0123456789",
        title=BODY["title"],
        created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        starts_at=datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
        purge_after_minutes=90,
        state="scheduled",
        keys=new_keys().hashes(),
    )


def batch_size(work: Callable[[], Any], seconds: float) -> int:
    """How many calls of `work` take about `seconds`."""
    calls = 1
    while True:
        start = time.process_time()
        for _ in range(calls):
            work()
        elapsed = time.process_time() - start
        if elapsed > seconds / 4:
            return max(1, round(calls * seconds / elapsed))
        calls *= 2


def per_request_us(works: list[Callable[[], Any]], runs: int, seconds: float) -> list[list[float]]:
    """µs per call of each of `works`, in `runs` runs of about `seconds` each, the works taking
    turns within a run (so that a busy moment of the machine hits them all). CPU time of this
    process, not wall time: on a shared machine, the other work's time slices do not count."""
    sizes = [batch_size(work, seconds) for work in works]
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, calls, row in zip(works, sizes, times, strict=True):
            start = time.process_time()
            for _ in range(calls):
                work()
            row.append((time.process_time() - start) / calls * 1e6)
    return times


def msgspec_paths(
    old: ModuleType, settings: Settings
) -> tuple[Callable[[], Any], Callable[[], Any]] | None:
    """The two bodies as msgspec Structs of the same types and bounds, with the same custom
    checks run after the conversion (text, time zone and range; not the precedence of faults,
    which msgspec cannot keep): what msgspec would cost."""
    try:
        import msgspec  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    from typing import Annotated
    from zoneinfo import ZoneInfo

    from server.models import check_text, parse_time

    title = Annotated[str, msgspec.Meta(min_length=1, max_length=settings.max_title_chars)]
    minutes = Annotated[int, msgspec.Meta(ge=0, le=api.MAX_PURGE_AFTER_MINUTES)]
    request = msgspec.defstruct(
        "NewPadRequest",
        [
            ("title", title),
            ("starts_at", str | None, None),
            ("ends_at", str | None, None),
            ("purge_after_minutes", minutes, api.DEFAULT_PURGE_AFTER_MINUTES),
        ],
        forbid_unknown_fields=True,
    )
    pad = stored_pad()
    fields = old.pad_metadata(pad, Role.VIEW, settings)
    types = {name: type(value) | None for name, value in fields.items()}
    response = msgspec.defstruct("Pad", list(types.items()))

    def create() -> Any:
        body = msgspec.convert(BODY, request)
        zone = ZoneInfo(settings.timezone)
        check_text("title", body.title.strip())
        return parse_time("starts_at", body.starts_at, zone), parse_time(
            "ends_at", body.ends_at, zone
        )

    def answer() -> Any:
        return msgspec.json.encode(response(**old.pad_metadata(pad, Role.VIEW, settings)))

    assert answer() == JSONResponse(fields).body
    return create, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.5, help="of each path in each run")
    parser.add_argument("--old-ref", default="b8b6516", help="a commit before server/models.py")
    args = parser.parse_args()
    settings = Settings()
    pad = stored_pad()
    with tempfile.TemporaryDirectory() as directory:
        old = old_api(args.old_ref, Path(directory))
    new_fields = models.new_pad(BODY, settings)
    assert old.pad_fields(BODY, settings) == {
        name: getattr(new_fields, name) for name in old.pad_fields(BODY, settings)
    }
    old_bytes = JSONResponse(old.pad_metadata(pad, Role.VIEW, settings)).body
    new_bytes = api.ModelResponse(api.pad_metadata(pad, Role.VIEW, settings)).body
    assert old_bytes == new_bytes, (old_bytes, new_bytes)

    rows: list[tuple[str, str, Callable[[], Any]]] = [
        ("pad creation", "hand-written", lambda: old.pad_fields(BODY, settings)),
        ("pad creation", "pydantic models", lambda: models.new_pad(BODY, settings)),
        (
            "pad metadata",
            "hand-written",
            lambda: JSONResponse(old.pad_metadata(pad, Role.VIEW, settings)).body,
        ),
        (
            "pad metadata",
            "pydantic models",
            lambda: api.ModelResponse(api.pad_metadata(pad, Role.VIEW, settings)).body,
        ),
    ]
    msgspec = msgspec_paths(old, settings)
    if msgspec:
        rows[2:2] = [("pad creation", "msgspec structs", msgspec[0])]
        rows.append(("pad metadata", "msgspec structs", msgspec[1]))
    print(f"CPU µs per request, median of {args.runs} runs (old: server/api.py at {args.old_ref})")
    print(f"{'body':<14}{'path':<22}{'median':>8}   runs")
    times = per_request_us([work for _, _, work in rows], args.runs, args.seconds)
    for (body, path, _), row in zip(rows, times, strict=True):
        runs = " ".join(f"{t:.1f}" for t in row)
        print(f"{body:<14}{path:<22}{statistics.median(row):>8.1f}   {runs}")
    print(json.dumps({"body_bytes": len(json.dumps(BODY)), "metadata_bytes": len(new_bytes)}))


if __name__ == "__main__":
    main()
