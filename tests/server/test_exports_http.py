"""Every export format of a pad built through the WebSocket, downloaded over HTTP, read back."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import y_py
from pycrdt import Doc, Text

from tests.conftest import LiveServer

NOTES = (
    "# Webinaire : la convention citoyenne\n\n"
    "Intervenante : Claire. Voir clermontparticipatif.fr et "
    "https://exemple.org/charte?utm_source=lettre\n\n"
    "| Thème | Votes |\n|---|---|\n| Mobilité | 42 |\n\n"
    "<script>alert(1)</script> [piège](javascript:alert(2))\n"
)


def download(server: LiveServer, pad: dict, extension: str, key: str | None) -> httpx.Response:
    params = {"k": key} if key else {}
    return httpx.get(f"{server.url}/api/pads/{pad['id']}/export.{extension}", params=params)


async def test_every_format_of_a_pad_typed_through_the_socket(live_server: LiveServer) -> None:
    pad = live_server.create_pad("Convention citoyenne")
    async with live_server.peer(pad) as peer:
        await peer.insert(0, NOTES)
        async with live_server.peer(pad, "view") as reader:
            await reader.wait_text(NOTES)
    key = pad["view_key"]

    assert download(live_server, pad, "md", key).text == NOTES
    text = download(live_server, pad, "txt", key).text
    assert "la convention citoyenne" in text and "#" not in text.split("\n")[0]
    html = download(live_server, pad, "html", key).text
    assert "<table>" in html and "<script" not in html and 'href="javascript:' not in html
    assert 'rel="nofollow noopener"' in html
    data = json.loads(download(live_server, pad, "json", key).text)
    assert data["id"] == pad["id"] and data["title"] == "Convention citoyenne"
    assert data["content"] == NOTES
    assert [link["url"] for link in data["links"]] == [
        "https://clermontparticipatif.fr",
        "https://exemple.org/charte",
    ]
    update = download(live_server, pad, "yjs", key).content
    doc = Doc()
    doc.apply_update(update)
    assert str(doc.get("content", type=Text)) == NOTES
    ydoc = y_py.YDoc()
    y_py.apply_update(ydoc, update)
    assert str(ydoc.get_text("content")) == NOTES
    bundle = zipfile.ZipFile(io.BytesIO(download(live_server, pad, "zip", key).content))
    names = set(bundle.namelist())
    assert {f"notes.{ext}" for ext in ("md", "txt", "html", "json", "yjs")} <= names
    assert bundle.read("notes.md").decode() == NOTES


def test_exports_need_a_key_until_published(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    assert download(live_server, pad, "md", None).status_code == 401
    assert download(live_server, pad, "md", "wrong").status_code == 401
    unknown = download(live_server, pad, "docx", pad["view_key"])
    assert unknown.status_code == 404 and "md" in unknown.json()["error"]["message"]
