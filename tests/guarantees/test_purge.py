"""Guarantee 3: after a purge no byte of a removed address is left anywhere the service keeps
data: the live document, the update log, snapshots, awareness, logs, and the SQLite file with its
WAL and shared-memory files. The pad's text becomes exactly `redact(text before)`."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import httpx

from anonymizer import redact
from server.purge import ANONYMOUS_NAME, PURGED_CLOSE
from tests.guarantees.helpers import storage_bytes
from tests.live import LiveServer, node_peers
from tests.ypeer import YPeer, converged

TYPED = [
    "élodie.kervella@exemple.bzh",
    "Jean.Le-Goff+webinaire@mairie-quimper.gouv.fr",
]
PASTED = ["contact.asso-brezhoneg@ti-ar-vro.org", "yannick.morvan@orange.fr"]
PHONE = "+33 6 12 34 56 78"
NPM_TYPED = "soizic.le-bihan@quimperle-communaute.bzh"
PURGE_TIMEOUT = 60
"""A process's first purge loads the names model (spaCy, about 5 s on a busy machine)."""


def forms(value: str) -> list[bytes]:
    local = value.split("@")[0]
    return [
        encoded
        for text in (value, local)
        for encoded in (text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be"))
    ]


async def type_slowly(peer: YPeer, marker: str, text: str, rng: random.Random) -> None:
    """Type `text` just before `marker`, one character per update, fixing a typo on the way."""
    for i, char in enumerate(text):
        if i == len(text) // 2:
            at = str(peer.text).index(marker)
            await peer.insert(at, "xq")
            await peer.delete(at, at + 2)
        await peer.insert(str(peer.text).index(marker), char)
        if rng.random() < 0.3:
            await asyncio.sleep(0)


async def test_purge_leaves_no_byte_of_any_address(live_server: LiveServer) -> None:
    pad = live_server.create_pad("Webinaire convention citoyenne")
    rng = random.Random(5)
    alice, bob = live_server.peer(pad), live_server.peer(pad)
    await alice.connect()
    await bob.connect()
    await alice.set_user("Alice alice.renard@exemple.bzh")
    await alice.insert(0, "Notes du webinaire\n\nPour être recontacté :\n§A\n§B\nFin.\n")
    await converged(alice, bob)
    await asyncio.gather(
        type_slowly(alice, "§A", f"- {TYPED[0]}", rng),
        type_slowly(bob, "§B", f"- {TYPED[1]}", rng),
    )
    await converged(alice, bob)
    for value in PASTED:
        await bob.append(f"- {value}\n")
    await bob.append(f"Tél. : {PHONE}\nMerci !\n")
    await converged(alice, bob)
    # The npm Yjs client types one more, character by character.
    status, result = await node_peers(
        live_server, pad, "--type", f"- {NPM_TYPED}\n", "--delay", "1"
    )
    assert status == 0, result
    await converged(alice, bob)
    assert NPM_TYPED in str(alice.text)
    # An address typed, then changed: its first form lives only in the log.
    await alice.append("- old.address@caramail.com\n")
    start = str(alice.text).index("old.address")
    await alice.delete(start, start + len("old.address"))
    await alice.insert(start, "new.address")
    before = await converged(alice, bob)
    assert PASTED[0].encode() in storage_bytes(live_server.db), "the search must see raw values"

    response = httpx.post(
        f"{live_server.url}/api/pads/{pad['id']}/purge",
        headers={"Authorization": f"Bearer {pad['host_key']}"},
        timeout=PURGE_TIMEOUT,
    )
    assert response.status_code == 200
    counts = response.json()["purge_counts"]
    # six in the text, one in a name; no attendee's name, no personal list in these notes
    assert counts == {"email": 7, "phone": 1, "name": 0, "list": 0}
    expected = redact(before)
    assert "[adresse retirée]" in expected and "[téléphone retiré]" in expected
    await bob.wait_text(expected)
    assert (await bob.wait_closed())[0] == PURGED_CLOSE
    assert await live_server.read_text(pad) == expected
    async with live_server.peer(pad, "view") as watcher, live_server.peer(pad) as alice_again:
        await watcher.set_user("Lecteur")
        await alice_again.set_user("Alice alice.renard@exemple.bzh")
        for _ in range(100):
            if watcher.peer_names() == [ANONYMOUS_NAME]:
                break
            await asyncio.sleep(0.02)
        assert watcher.peer_names() == [ANONYMOUS_NAME]  # neither her address nor her name

    removed = [*TYPED, *PASTED, NPM_TYPED, "old.address@caramail.com", "alice.renard@exemple.bzh"]
    stored = storage_bytes(live_server.db)
    for value in removed:
        for form in forms(value):
            assert form not in stored, f"{value!r} survives the purge"
    for form in (PHONE.encode(), PHONE.encode("utf-16-le"), b"612345678"):
        assert form not in stored
    await alice.close()
    await bob.close()
    live_server.stop()
    stored = storage_bytes(live_server.db)
    log = live_server.log()
    for value in removed:
        assert value.split("@")[0] not in log
        for form in forms(value):
            assert form not in stored
    live_server.start()
    assert await live_server.read_text(pad) == expected


def purge(server: LiveServer, pad: dict) -> None:
    response = httpx.post(
        f"{server.url}/api/pads/{pad['id']}/purge",
        headers={"Authorization": f"Bearer {pad['host_key']}"},
        timeout=PURGE_TIMEOUT,
    )
    assert response.status_code == 200, response.text


async def test_offline_npm_client_cannot_bring_an_address_back(
    live_server: LiveServer, tmp_path: Path
) -> None:
    pad = live_server.create_pad()
    typed = "Me recontacter : gwenaelle.tanguy@exemple.bzh\n"
    state = tmp_path / "offline.yjs"
    status, result = await node_peers(
        live_server, pad, "--type", typed, "--delay", "2", "--save-state", str(state)
    )
    assert status == 0, result
    purge(live_server, pad)
    expected = redact(typed)
    assert await live_server.read_text(pad) == expected
    status, result = await node_peers(live_server, pad, "--read", "--load-state", str(state))
    assert status == 0, result
    assert result["texts"] == [expected]
    assert result["server"] == expected
    live_server.restart()
    assert await live_server.read_text(pad) == expected
    stored = storage_bytes(live_server.db)
    assert b"gwenaelle.tanguy" not in stored


async def test_typing_into_a_purged_pad_is_refused(live_server: LiveServer) -> None:
    pad = live_server.create_pad()
    async with live_server.peer(pad) as peer:
        await peer.insert(0, "Merci à tous.\n")
    purge(live_server, pad)
    for role in ("edit", "host"):
        status, result = await node_peers(
            live_server,
            pad,
            "--type",
            "nouveau@exemple.bzh",
            "--local",
            "--timeout",
            "5",
            role=role,
        )
        assert status == 0, result
        assert result["lifecycle"] == [] or result["lifecycle"][-1]["writable"] is False
    assert await live_server.read_text(pad) == "Merci à tous.\n"
    assert b"nouveau@exemple" not in storage_bytes(live_server.db)
