"""Guarantee 3, for names: after a purge, no byte of an attendee's name (a display name, a
participants list entry, a signature, initials, a name found in the text, a word the host chose
to remove, a name a client wrote in the document's structure) is left in the SQLite file, its
WAL or its shared-memory file, nor in the log; the speakers and the names the host kept remain.
The stored notes are exactly the text the host's review showed (`GET /api/pads/{id}/purge-plan`):
one function computes both."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pycrdt import Map, XmlElement, XmlFragment, XmlText

from server import protocol
from tests.guarantees.helpers import storage_bytes
from tests.guarantees.test_purge import PURGE_TIMEOUT
from tests.live import LiveServer
from tests.ypeer import YPeer, converged

SPEAKER = "Soazig Kervadec"
KEPT = "Yannig Postec"
DISPLAY_NAMES = ["Katell Le Bihan", "Ewen Trégoat"]
ALICE_TYPES = (
    "# Webinaire compostage partagé\n"
    "\n"
    f"Intervenant·es : {SPEAKER}\n"
    "\n"
    "## Participants\n"
    "- Maël Corre (Mairie de Brest)\n"
    "- Anaïs Kerlann\n"
    "\n"
    "## Questions\n"
    "Katell demande combien de temps dure le compostage.\n"
    f"{SPEAKER} répond : trois mois environ, cf. la fiche de {KEPT}.\n"
)
BOB_TYPES = (
    "Le broyeur du quartier Kerbrat est prêté le samedi (MC).\n"
    "Retour d'expérience très positif. Gwenola Tanguy\n"
    "Ewen : merci à tous !\n"
)
STRUCTURE_ONLY = "Ronan Le Floch"
"""A name written only in the document's structure, never in the notes."""
REMOVED = [
    "Ronan",
    "Floch",
    "Maël",
    "Corre",
    "Kerlann",
    "Anaïs",
    "Gwenola",
    "Tanguy",
    "Kerbrat",
    "Katell",
    "Bihan",
    "Ewen",
    "Trégoat",
    "(MC)",
]


def forms(value: str) -> list[bytes]:
    return [value.encode(), value.encode("utf-16-le"), value.encode("utf-16-be")]


def host(pad: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pad['host_key']}"}


async def write_in_the_structure(peer: YPeer) -> None:
    """What a client other than the page can write: names in a map's keys and values, an
    XML element's tag, attributes and text, a root's name; one name nowhere in the notes."""
    state = peer.doc.get_state()
    meta = peer.doc.get("meta", type=Map)
    meta[DISPLAY_NAMES[0]] = "merci à Gwenola Tanguy"
    element = peer.doc.get("xml", type=XmlFragment).children.append(XmlElement("Kerlann"))
    element.attributes["par"] = STRUCTURE_ONLY
    element.children.append(XmlText(f"{STRUCTURE_ONLY} a parlé ensuite."))
    peer.doc.get("Ewen", type=Map)["a"] = 1
    await peer.ws.send(protocol.sync_update(peer.doc.get_update(state)))


@pytest.fixture
def live_server(server_factory: Any) -> LiveServer:
    """With spaCy's model: this is the test of names as the purge finds them."""
    return server_factory(names_model=True)


async def test_purge_removes_every_name_and_leaves_the_reviewed_text(
    live_server: LiveServer,
) -> None:
    pad = live_server.create_pad("Webinaire compostage partagé", speakers=[SPEAKER])
    alice, bob = live_server.peer(pad), live_server.peer(pad)
    await alice.connect()
    await bob.connect()
    await alice.set_user(DISPLAY_NAMES[0])
    await bob.set_user(DISPLAY_NAMES[1])
    await alice.insert(0, ALICE_TYPES)
    await converged(alice, bob)
    await bob.append(BOB_TYPES)
    await write_in_the_structure(bob)
    before = await converged(alice, bob)
    stored = storage_bytes(live_server.db)
    for name in ("Gwenola Tanguy", "Kerlann"):
        assert name.encode() in stored, "the search must see raw values"

    url = f"{live_server.url}/api/pads/{pad['id']}/purge-plan"
    first = httpx.get(url, headers=host(pad), timeout=PURGE_TIMEOUT)
    assert first.status_code == 200, first.text
    found = {item["name"] for item in first.json()["found_names"]["items"]}
    assert KEPT in found, found
    decisions = {"keep": [KEPT], "remove": ["Kerbrat"], "speakers": []}
    response = httpx.put(url, json=decisions, headers=host(pad), timeout=PURGE_TIMEOUT)
    assert response.status_code == 200, response.text
    review = response.json()
    preview = review["text"]
    # In the notes: Katell, Kerbrat, MC, Gwenola Tanguy, Ewen (Maël Corre and Anaïs Kerlann:
    # in the list); in the structure: a key, a value, a tag, an attribute, a text, a root.
    assert review["counts"]["list"] == 1 and review["counts"]["name"] == 5 + 6
    for value in REMOVED:
        assert value not in preview, value
    assert SPEAKER in preview and KEPT in preview
    assert "## Participants\nliste retirée\n" in preview

    purged = httpx.post(
        f"{live_server.url}/api/pads/{pad['id']}/purge", headers=host(pad), timeout=PURGE_TIMEOUT
    )
    assert purged.status_code == 200, purged.text
    counts = purged.json()["purge_counts"]
    assert counts["name"] == review["counts"]["name"] and counts["list"] == 1
    await bob.wait_text(preview)
    assert await live_server.read_text(pad) == preview
    assert before != preview
    await alice.close()
    await bob.close()
    live_server.stop()

    stored = storage_bytes(live_server.db)
    log = live_server.log()
    for value in [*REMOVED, *DISPLAY_NAMES, "Maël Corre", "Gwenola Tanguy"]:
        for form in forms(value):
            assert form not in stored, f"{value!r} survives the purge"
        assert value not in log, f"{value!r} was logged"
    assert SPEAKER.encode() in stored
    assert KEPT.encode() in stored
    live_server.start()
    assert await live_server.read_text(pad) == preview
