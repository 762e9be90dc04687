"""Import and `skrid publish` as commands, the public archive over HTTP from the app in process."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.live import AppFactory

SAMPLES = Path(__file__).parents[1] / "exports" / "import_samples"
SKRID = [sys.executable, "-m", "server.cli"]


def skrid(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*SKRID, *args], capture_output=True, timeout=120)


def imported(db: Path, *files: Path) -> list[tuple[str, str, str]]:
    result = skrid("import", *map(str, files), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    rows = [line.split("\t") for line in result.stdout.decode().splitlines()]
    return [(pad_id, title, link.rsplit("k=", 1)[1]) for pad_id, title, link in rows]


def test_import_refuses_everything_when_one_file_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "binaire.txt"
    bad.write_bytes(b"\x00\x01\x02 pas du texte")
    db = tmp_path / "skrid.sqlite3"
    result = skrid("import", str(SAMPLES / "webinaire-mobilite.md"), str(bad), "--db", str(db))
    assert result.returncode == 1
    assert "binaire.txt" in result.stderr.decode()
    assert "nothing imported" in result.stderr.decode()
    if db.exists():
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM pads").fetchone()[0] == 0


async def test_import_then_publish_then_archive(tmp_path: Path, app_factory: AppFactory) -> None:
    db = tmp_path / "skrid.sqlite3"
    pads = imported(db, *sorted(SAMPLES.iterdir()))
    assert len(pads) == len(list(SAMPLES.iterdir()))
    server = await app_factory(db=db)
    http = server.client
    (first_id, first_title, host_key), (second_id, _, _) = pads[0], pads[1]
    meta = (await http.get(f"/api/pads/{first_id}", params={"k": host_key})).json()
    assert meta["state"] == "closed"
    for action in ("purge", "publish"):
        response = await http.post(
            f"/api/pads/{first_id}/{action}",
            headers={"Authorization": f"Bearer {host_key}"},
        )
        assert response.status_code == 200, response.text

    index = await http.get("/archive")
    assert index.status_code == 200
    assert f"/archive/{first_id}" in index.text
    assert first_title.split()[0] in index.text
    assert f"/archive/{second_id}" not in index.text
    page = await http.get(f"/archive/{first_id}")
    assert page.status_code == 200 and "<script" not in page.text
    assert (await http.get(f"/archive/{second_id}")).status_code == 404
    feed = ET.fromstring((await http.get("/archive/feed.atom")).content)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    export = await http.get(f"/api/pads/{first_id}/export.md")
    assert export.status_code == 200
    assert (await http.get(f"/api/pads/{second_id}/export.md")).status_code == 401

    out = tmp_path / "site"
    result = await asyncio.to_thread(skrid, "publish", "--out", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr.decode()
    assert (out / "index.html").exists() and (out / "feed.atom").exists()
    assert (out / first_id / "index.html").exists()
    assert (out / first_id / "notes.md").read_text() == export.text
    assert not (out / second_id).exists()
    for page_path in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#:]+)"', page_path.read_text()):
            assert (page_path.parent / href).resolve().exists(), (page_path, href)
