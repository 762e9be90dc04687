"""The `skrid` command as a person runs it: a real subprocess, real stdin and stdout (beside the
app in process, for the commands that read a running server's database)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from anonymizer import redact
from tests.live import InProcessServer

SKRID = [sys.executable, "-m", "server.cli"]


def run(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None):
    return subprocess.run([*SKRID, *args], input=stdin, capture_output=True, env=env, timeout=60)


def test_redact_copies_text_with_addresses_replaced() -> None:
    text = "Écrire à élodie@exemple.bzh ou au 06 12 34 56 78.\nrdv @ 17h, @ReseauCoherence\n"
    result = run("redact", stdin=text.encode())
    assert result.returncode == 0
    assert result.stdout.decode() == redact(text)
    assert "[adresse retirée]" in result.stdout.decode()
    assert "rdv @ 17h, @ReseauCoherence" in result.stdout.decode()
    assert result.stderr == b""


def test_redact_report_counts_only() -> None:
    text = "a@b.fr, c@d.org et +33 6 12 34 56 78"
    result = run("redact", "--report", stdin=text.encode())
    assert result.stderr.decode().strip() == "emails: 2, phones: 1"
    assert b"a@b.fr" not in result.stderr and b"a@b.fr" not in result.stdout


def test_redact_refuses_binary_input_and_writes_nothing() -> None:
    result = run("redact", stdin=b"\xff\xfe\x00binary")
    assert result.returncode == 1
    assert result.stdout == b""
    assert "not UTF-8" in result.stderr.decode()


def test_bad_setting_is_one_line() -> None:
    import os

    result = run("serve", env={**os.environ, "SKRID_PORT": "huit"})
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "Error: SKRID_PORT='huit' is not a valid int"


async def test_export_reads_the_database_of_a_running_server(
    socket_server: InProcessServer,
) -> None:
    server = socket_server
    pad = await server.create_pad()
    async with server.peer(pad) as peer:
        await peer.insert(0, "# Notes\n\nVoir https://exemple.bzh\n")
    # In a thread: the server goes on running (and storing) in this loop meanwhile.
    result = await asyncio.to_thread(
        run, "export", pad["id"], "--db", str(server.db), "--format", "md"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "# Notes\n\nVoir https://exemple.bzh\n"
    as_json = await asyncio.to_thread(
        run, "export", pad["id"], "--db", str(server.db), "--format", "json"
    )
    assert '"https://exemple.bzh"' in as_json.stdout.decode()


async def test_export_of_unknown_pad_is_one_line(app_server: InProcessServer) -> None:
    result = await asyncio.to_thread(run, "export", "nope", "--db", str(app_server.db))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "Error: no pad 'nope' in this database"


def test_export_does_not_create_a_database(tmp_path) -> None:
    path = tmp_path / "absent.sqlite3"
    result = run("export", "nope", "--db", str(path))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"Error: no database at {path}"
    assert not path.exists()


def serve_with(**variables: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **{f"SKRID_{name.upper()}": value for name, value in variables.items()}}
    return run("serve", "--port", "1", env=env)


def test_serve_names_an_unreachable_database_in_one_line_without_its_password() -> None:
    result = serve_with(database_url="postgresql://skrid:secret-password@127.0.0.1:1/notes")
    assert result.returncode == 1
    error = result.stderr.decode().strip()
    assert error.startswith("Error: cannot reach PostgreSQL at 127.0.0.1:1/notes: "), error
    assert "\n" not in error and "secret-password" not in error


def test_serve_refuses_redis_without_a_shared_database() -> None:
    result = serve_with(redis_url="redis://127.0.0.1:6379/0")
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        "Error: SKRID_REDIS_URL needs SKRID_DATABASE_URL: processes share their pads through"
        " PostgreSQL (one SQLite file is one process's)"
    )


def test_serve_names_an_unreachable_redis_in_one_line(postgres_schema: tuple[str, str]) -> None:
    url, schema = postgres_schema
    result = serve_with(
        database_url=url, database_schema=schema, redis_url="redis://:secret-password@127.0.0.1:1"
    )
    assert result.returncode == 1
    error = result.stderr.decode().strip()
    assert error == (
        "Error: cannot reach Redis at 127.0.0.1:1 (ConnectionError): check SKRID_REDIS_URL"
    )
