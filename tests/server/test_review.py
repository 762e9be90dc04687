"""The purge's plan (`GET/PUT /api/pads/{id}/purge-plan`) and the purge of names: one function
computes the review and the purge, with the display names seen in the pad, its speakers and the
host's decisions. Real sockets and HTTP against the app in this event loop."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.live import AppFactory, InProcessServer
from tests.ypeer import converged

NOTES = (
    "# Atelier compostage\n"
    "\n"
    "Intervenant·es : Soazig Kervadec\n"
    "\n"
    "## Participants\n"
    "- Maël Corre (Mairie de Brest)\n"
    "- Anaïs Kerlann\n"
    "\n"
    "## Questions\n"
    "Maël demande si le compost chauffe. Soazig Kervadec répond que oui.\n"
    "Gwenola Tanguy : merci ! gwenola.tanguy@exemple.bzh\n"
    "Tél. 06 12 34 56 78\n"
)


def host(pad: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pad['host_key']}"}


async def typed_pad(server: InProcessServer, **fields: object) -> dict:
    pad = await server.create_pad("Atelier avec Anaïs Kerlann", **fields)
    async with server.peer(pad) as peer:
        await peer.set_user("Ewen Trégoat")
        await peer.insert(0, NOTES + "Ewen : à bientôt.\n")
        await converged(peer)
    return pad


async def plan(server: InProcessServer, pad: dict) -> dict:
    response = await server.client.get(f"/api/pads/{pad['id']}/purge-plan", headers=host(pad))
    assert response.status_code == 200, response.text
    return response.json()


async def purge(server: InProcessServer, pad: dict) -> dict:
    response = await server.client.post(f"/api/pads/{pad['id']}/purge", headers=host(pad))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def socket_server(socket_server_factory: AppFactory) -> InProcessServer:
    """With spaCy's model, as in production: the review shows what it finds."""
    return await socket_server_factory(names_model=True)


async def test_plan_groups_what_goes_and_the_purge_leaves_its_text(
    socket_server: InProcessServer,
) -> None:
    pad = await typed_pad(socket_server, speakers=["Soazig Kervadec"])
    review = await plan(socket_server, pad)
    assert review["contacts"]["count"] == 2
    kinds = [item["kind"] for item in review["contacts"]["items"]]
    assert sorted(kinds) == ["email", "phone"]
    phone = next(item for item in review["contacts"]["items"] if item["kind"] == "phone")
    assert phone["line"] == 12 and phone["context"] == "Tél. 06 12 34 56 78"
    assert review["lists"]["count"] == 1
    listed = review["lists"]["items"][0]
    assert listed["heading"] == "## Participants" and listed["line"] == 5
    assert listed["entries"] == ["Maël Corre", "Anaïs Kerlann"]
    known = {item["written"] for item in review["known_names"]["items"]}
    assert {"Maël", "Ewen"} <= known  # a list entry's first name, a display name's
    found = {item["name"] for item in review["found_names"]["items"]}
    assert "Gwenola Tanguy" in found
    text = review["text"]
    for gone in ("Maël", "Corre", "Kerlann", "Gwenola", "Ewen", "gwenola.tanguy", "06 12"):
        assert gone not in text, gone
    assert "Soazig Kervadec" in text  # the speaker stays
    assert "## Participants\nliste retirée\n" in text
    # Anaïs Kerlann is only in the list (removed whole) and the title: a pseudonym of its own.
    assert review["title"] == "Atelier avec Participant·e 4"
    assert review["counts"] == {"email": 1, "phone": 1, "list": 1, "name": review["counts"]["name"]}

    after = await purge(socket_server, pad)
    assert await socket_server.read_text(pad) == text
    assert after["title"] == review["title"]
    counts = after["purge_counts"]
    assert counts["list"] == 1 and counts["email"] == 1 and counts["phone"] == 1
    assert counts["name"] == review["counts"]["name"] > 0
    gone = await socket_server.client.get(f"/api/pads/{pad['id']}/purge-plan", headers=host(pad))
    assert gone.status_code == 409


async def test_decisions_keep_and_remove_and_are_applied_on_time(
    socket_server: InProcessServer,
) -> None:
    pad = await typed_pad(socket_server)
    url = f"/api/pads/{pad['id']}/purge-plan"
    decisions = {"keep": ["Gwenola Tanguy"], "remove": ["compost"], "speakers": []}
    response = await socket_server.client.put(url, json=decisions, headers=host(pad))
    assert response.status_code == 200, response.text
    review = response.json()
    assert review["decisions"] == decisions
    assert "Gwenola Tanguy" in review["text"]
    assert "compost " not in review["text"] and "compostage" in review["text"]
    assert review == await plan(socket_server, pad)
    await purge(socket_server, pad)
    assert await socket_server.read_text(pad) == review["text"]
    rows = sqlite3.connect(socket_server.db).execute("SELECT * FROM purge_decisions").fetchall()
    assert rows == []
    again = await socket_server.client.put(url, json=decisions, headers=host(pad))
    assert again.status_code == 409


async def test_plan_needs_the_host_key_and_valid_decisions(
    socket_server: InProcessServer,
) -> None:
    pad = await socket_server.create_pad()
    url = f"/api/pads/{pad['id']}/purge-plan"
    edit = {"Authorization": f"Bearer {pad['edit_key']}"}
    assert (await socket_server.client.get(url, headers=edit)).status_code == 403
    assert (await socket_server.client.get(url)).status_code == 401
    for body, message in [
        ({"keep": "Marie"}, "keep must be a list of strings"),
        ({"remove": [" "]}, "remove may not hold a blank name"),
        ({"speakers": ["a\u202eb"]}, "bidirectional"),
        ({"other": []}, "unknown fields: other"),
    ]:
        response = await socket_server.client.put(url, json=body, headers=host(pad))
        assert response.status_code == 422, body
        assert message in response.json()["error"]["message"]
    empty = await plan(socket_server, pad)
    assert empty["text"] == "" and empty["counts"]["name"] == 0


async def test_speakers_are_validated_and_kept_after_the_purge(
    socket_server: InProcessServer,
) -> None:
    refused = await socket_server.client.post(
        "/api/pads", json={"title": "Atelier", "speakers": ["Soazig\nKervadec"]}
    )
    assert refused.status_code == 422
    assert "control characters" in refused.json()["error"]["message"]
    too_many = await socket_server.client.post(
        "/api/pads", json={"title": "Atelier", "speakers": ["Anne"] * 51}
    )
    assert too_many.status_code == 422
    pad = await typed_pad(socket_server, speakers=[" Soazig Kervadec "])
    await purge(socket_server, pad)
    row = sqlite3.connect(socket_server.db).execute("SELECT speakers FROM pads").fetchone()
    assert row == ('["Soazig Kervadec"]',)
    assert "Soazig Kervadec répond" in await socket_server.read_text(pad)


async def test_display_names_are_kept_until_the_purge_and_then_deleted(
    socket_server_factory: object,
) -> None:
    server = await socket_server_factory(known_names_flush_seconds=0.05)  # type: ignore[operator]
    pad = await server.create_pad()
    async with server.peer(pad) as peer:
        await peer.set_user("Katell Le Bihan katell@exemple.bzh")
        await peer.insert(0, "Katell a posé la question du broyage.\n")
        await converged(peer)
    db = sqlite3.connect(server.db)
    for _ in range(100):
        rows = db.execute("SELECT name FROM known_names").fetchall()
        if rows:
            break
        await asyncio.sleep(0.02)
    assert rows == [("Katell Le Bihan",)]  # without the address typed into it
    assert "Katell" not in server.log()
    await purge(server, pad)
    assert db.execute("SELECT count(*) FROM known_names").fetchone() == (0,)
    assert "Katell" not in await server.read_text(pad)
    assert "Katell" not in server.log()


async def test_without_the_model_the_rules_still_run(socket_server_factory: AppFactory) -> None:
    server = await socket_server_factory(names_model=False)
    pad = await typed_pad(server)
    review = await plan(server, pad)
    assert review["model"] is None
    assert "Gwenola" not in review["text"]
    await purge(server, pad)
    assert "Gwenola" not in server.log()


async def test_plan_answers_after_the_pad_is_closed(app_server: InProcessServer) -> None:
    pad = await app_server.create_pad()
    closed = await app_server.client.post(f"/api/pads/{pad['id']}/close", headers=host(pad))
    assert closed.status_code == 200
    response = await app_server.client.get(f"/api/pads/{pad['id']}/purge-plan", headers=host(pad))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
