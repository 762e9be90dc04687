"""Every export format of a pad built through the WebSocket, downloaded over HTTP, read back (the
app in process, served on a loopback port for the pad socket)."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import y_py
from pycrdt import Doc, Text

from tests.live import InProcessServer

NOTES = (
    "# Webinaire : la convention citoyenne\n\n"
    "Intervenante : Claire. Voir clermontparticipatif.fr et "
    "https://exemple.org/charte?utm_source=lettre\n\n"
    "| Thème | Votes |\n|---|---|\n| Mobilité | 42 |\n\n"
    "<script>alert(1)</script> [piège](javascript:alert(2))\n"
)


async def download(
    server: InProcessServer, pad: dict, extension: str, key: str | None
) -> httpx.Response:
    params = {"k": key} if key else {}
    return await server.client.get(f"/api/pads/{pad['id']}/export.{extension}", params=params)


async def test_every_format_of_a_pad_typed_through_the_socket(
    socket_server: InProcessServer,
) -> None:
    server = socket_server
    pad = await server.create_pad("Convention citoyenne")
    async with server.peer(pad) as peer:
        await peer.insert(0, NOTES)
        async with server.peer(pad, "view") as reader:
            await reader.wait_text(NOTES)
    key = pad["view_key"]

    markdown = await download(server, pad, "md", key)
    assert markdown.text == NOTES
    # Named after its title (and the webinar's day, when it has one: tests/exports/test_naming.py).
    assert markdown.headers["content-disposition"] == (
        'attachment; filename="convention-citoyenne.md"'
    )
    text = (await download(server, pad, "txt", key)).text
    assert "la convention citoyenne" in text and "#" not in text.split("\n")[0]
    html = (await download(server, pad, "html", key)).text
    assert "<table>" in html and "<script" not in html and 'href="javascript:' not in html
    assert 'rel="nofollow noopener"' in html
    data = json.loads((await download(server, pad, "json", key)).text)
    assert data["id"] == pad["id"] and data["title"] == "Convention citoyenne"
    assert data["content"] == NOTES
    assert [link["url"] for link in data["links"]] == [
        "https://clermontparticipatif.fr",
        "https://exemple.org/charte",
    ]
    update = (await download(server, pad, "yjs", key)).content
    doc = Doc()
    doc.apply_update(update)
    assert str(doc.get("content", type=Text)) == NOTES
    ydoc = y_py.YDoc()
    y_py.apply_update(ydoc, update)
    assert str(ydoc.get_text("content")) == NOTES
    bundle = zipfile.ZipFile(io.BytesIO((await download(server, pad, "zip", key)).content))
    names = set(bundle.namelist())
    assert {f"notes.{ext}" for ext in ("md", "txt", "html", "json", "yjs")} <= names
    assert bundle.read("notes.md").decode() == NOTES


async def test_exports_need_a_key_until_published(app_server: InProcessServer) -> None:
    server = app_server
    pad = await server.create_pad()
    assert (await download(server, pad, "md", None)).status_code == 401
    assert (await download(server, pad, "md", "wrong")).status_code == 401
    unknown = await download(server, pad, "docx", pad["view_key"])
    assert unknown.status_code == 404 and "md" in unknown.json()["error"]["message"]
