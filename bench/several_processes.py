"""What a second process costs and gives: one webinar pad served by one or two processes.

For each run, and in turn for each setup, it starts fresh `skrid serve` processes, runs
`load.mjs` (20 writers inserting twice a second and 200 readers, awareness on, by default) with
the clients spread evenly over the processes, then stops them:

- `sqlite`: one process on a new SQLite file, as `make run` serves;
- `postgres`: one process on PostgreSQL (a schema of its own) and Redis (a key prefix of its
  own), so the price of the shared store and of publishing is seen alone;
- `postgres x2`: two processes on the same schema and prefix; half of every pad's attendees on
  each, so every update crosses Redis to reach half of the readers.

Prints one table of medians across runs: fan-out p50 and p99 (writer's insert to each reader),
missing deliveries, the servers' CPU together (% of one core) and the generator's own loop lag
p99 (when it is high, the generator, not the servers, is slow). Each run's figures go to stderr.

    cd bench && npm ci && cd ..
    .venv/bin/python bench/several_processes.py [--runs 3] [--seconds 20]

PostgreSQL and Redis come from `--postgres` and `--redis`, by default `SKRID_TEST_POSTGRES_URL`
and `SKRID_TEST_REDIS_URL` (`.ci/run`'s), else this machine's local servers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
SKRID = ROOT / ".venv" / "bin" / "skrid"
LOAD = ROOT / "bench" / "load.mjs"
SETUPS = ("sqlite", "postgres", "postgres x2")
FIGURES = (
    ("fan-out p50 (ms)", "latency_p50_ms"),
    ("fan-out p99 (ms)", "latency_p99_ms"),
    ("missing", "missing"),
    ("servers' CPU (%)", "server_cpu_pct"),
    ("generator lag p99 (ms)", "loop_lag_p99_ms"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(env: dict[str, str], folder: Path, index: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (folder / f"server{index}.log").open("ab")
    process = subprocess.Popen(
        [str(SKRID), "serve", "--init", "--port", str(port), "--db", str(folder / "bench.db")],
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"skrid serve exited: see {folder / f'server{index}.log'}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("skrid serve did not start in 30 s")


async def drop_schema(url: str, schema: str) -> None:
    db = await asyncpg.connect(url)
    try:
        await db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await db.close()


def run_setup(setup: str, options: argparse.Namespace) -> dict[str, Any]:
    schema = f"bench_{secrets.token_hex(5)}"
    env = {"SKRID_NAMES_MODEL": "no", "SKRID_LOG_LEVEL": "warning"}
    if setup != "sqlite":
        env |= {
            "SKRID_DATABASE_URL": options.postgres,
            "SKRID_DATABASE_SCHEMA": schema,
            "SKRID_REDIS_URL": options.redis,
            "SKRID_REDIS_PREFIX": schema,
        }
    count = 2 if setup.endswith("x2") else 1
    with tempfile.TemporaryDirectory(prefix="skrid-bench-") as folder:
        servers = [start(env, Path(folder), index) for index in range(count)]
        try:
            command = [
                "node", str(LOAD),
                "--url", ",".join(url for _, url in servers),
                "--pid", ",".join(str(process.pid) for process, _ in servers),
                "--writers", str(options.writers), "--readers", str(options.readers),
                "--seconds", str(options.seconds), "--awareness", "--json",
            ]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode == 2 or not done.stdout.strip():
                raise RuntimeError(f"load.mjs failed: {done.stderr[-500:]}")
            figures: dict[str, Any] = json.loads(done.stdout)["runs"][0]
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait(timeout=30)
            if setup != "sqlite":
                asyncio.run(drop_schema(options.postgres, schema))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "SKRID_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("SKRID_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    options = parser.parse_args()
    results: dict[str, list[dict[str, Any]]] = {setup: [] for setup in SETUPS}
    for run in range(options.runs):
        for setup in SETUPS:
            figures = run_setup(setup, options)
            results[setup].append(figures)
            shown = ", ".join(f"{name} {figures[key]:.1f}" for name, key in FIGURES)
            print(f"run {run + 1} {setup}: {shown}", file=sys.stderr)
    print(
        f"{options.writers} writers + {options.readers} readers, awareness on, "
        f"{options.seconds} s, median of {options.runs} runs"
    )
    print("| figure | " + " | ".join(SETUPS) + " |")
    print("| --- |" + " --- |" * len(SETUPS))
    for name, key in FIGURES:
        medians = [statistics.median(run[key] for run in results[setup]) for setup in SETUPS]
        print(f"| {name} | " + " | ".join(f"{value:.1f}" for value in medians) + " |")
    converged = all(run["converged"] for runs in results.values() for run in runs)
    print("every run converged" if converged else "SOME RUN DIVERGED")


if __name__ == "__main__":
    main()
