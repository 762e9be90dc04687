"""The browser code's pure modules, run by Node's test runner: the links extractor against the
cases shared with exports/ (tests/exports/links_cases.json), languages, dates, banners."""

from __future__ import annotations

import subprocess

from tests.live import ROOT


def test_client_unit_tests_pass() -> None:
    result = subprocess.run(
        ["node", "--test", "test/"],
        cwd=ROOT / "client",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert "shared case 1:" in result.stdout
