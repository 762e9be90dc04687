"""The `skrid` command as a person runs it: a real subprocess, real stdin and stdout."""

from __future__ import annotations

import subprocess
import sys

from anonymizer import redact

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
