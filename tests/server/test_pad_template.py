"""The webinar template (`POST /api/pads` with `template`, `language`) and the consent it
brings: with a "mel" list, the contact list is the addresses in it only."""

from __future__ import annotations

import csv
import io

from anonymizer.sections import find_personal_lists
from tests.live import InProcessServer
from tests.ypeer import converged

WHEN = {"starts_at": "2036-12-03T18:00:00+01:00", "ends_at": "2036-12-03T19:30:00+01:00"}


def host(pad: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pad['host_key']}"}


async def contacts(server: InProcessServer, pad: dict) -> list[str]:
    response = await server.client.get(f"/api/pads/{pad['id']}/contacts", headers=host(pad))
    assert response.status_code == 200, response.text
    return [row[0] for row in csv.reader(io.StringIO(response.text))][1:]


async def test_webinar_template_writes_the_outline(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad(
        "Atelier compostage", template="webinar", speakers=["Soazig Kervadec"], **WHEN
    )
    text = await socket_server.read_text(pad)
    assert text == (
        "# Atelier compostage\n\n"
        "Date : 2036-12-03 18:00 – 19:30\n"
        "Intervenant·es : Soazig Kervadec\n"
        "Lien du webinaire : à compléter\n\n"
        "## Participants\n\n"
        "## mel\n_Les adresses mel seront effacées après la réunion._\n\n"
        "## Présentation\n\n"
        "## Questions\n\n"
        "## Tour de parole\n"
    )
    headings = [found.heading for found in find_personal_lists(text)]
    assert headings == ["## Participants", "## mel"]


async def test_english_template_and_its_purge(socket_server: InProcessServer) -> None:
    pad = await socket_server.create_pad("Composting", template="webinar", language="en")
    text = await socket_server.read_text(pad)
    assert "Speakers : to be set\n" in text and "## Email\n_Email addresses will" in text
    assert [found.heading for found in find_personal_lists(text)] == [
        "## Participants",
        "## Email",
    ]
    async with socket_server.peer(pad) as peer:
        at = str(peer.text).index("## Presentation")
        await peer.insert(at - 1, "- Katell Le Bihan katell@example.org\n")
        at = str(peer.text).index("## Speaking round")
        await peer.insert(at, "Katell asks about the shredder.\n\n")
        await converged(peer)
    purged = await socket_server.client.post(f"/api/pads/{pad['id']}/purge", headers=host(pad))
    assert purged.status_code == 200, purged.text
    after = await socket_server.read_text(pad)
    assert "## Email\nlist removed\n" in after
    assert "Participant 1 asks" in after and "Katell" not in after


async def test_with_a_mel_list_the_contacts_are_its_addresses_only(
    socket_server: InProcessServer,
) -> None:
    pad = await socket_server.create_pad("Atelier", template="webinar")
    async with socket_server.peer(pad) as peer:
        at = str(peer.text).index("## Présentation")
        await peer.insert(at - 1, "- gwenola.tanguy@exemple.bzh\n- ewen@exemple.bzh\n")
        await peer.append("Écrire à la mairie : accueil@mairie-brest.fr\n")
        await converged(peer)
    assert await contacts(socket_server, pad) == ["gwenola.tanguy@exemple.bzh", "ewen@exemple.bzh"]


async def test_without_a_mel_list_every_address_is_a_contact(
    socket_server: InProcessServer,
) -> None:
    pad = await socket_server.create_pad("Atelier")
    async with socket_server.peer(pad) as peer:
        await peer.insert(0, "Contact : gwenola@exemple.bzh\n\nÉcrire à accueil@mairie.fr\n")
        await converged(peer)
    assert await contacts(socket_server, pad) == ["gwenola@exemple.bzh", "accueil@mairie.fr"]
    assert await socket_server.read_text(pad) == (
        "Contact : gwenola@exemple.bzh\n\nÉcrire à accueil@mairie.fr\n"
    )  # `plain`, the default: no outline


async def test_bad_template_or_language_is_refused(socket_server: InProcessServer) -> None:
    for body, message in [
        ({"template": "fancy"}, "template must be `webinar` or `plain`"),
        ({"language": "br"}, "language must be `fr` or `en`"),
        ({"language": 1}, "language must be `fr` or `en`"),
    ]:
        response = await socket_server.client.post("/api/pads", json={"title": "A", **body})
        assert response.status_code == 422, body
        assert response.json()["error"]["message"] == message


async def test_the_metadata_gives_the_speakers_and_the_language(
    app_server: InProcessServer,
) -> None:
    pad = await app_server.create_pad(speakers=["Soazig Kervadec"], language="en")
    for role in ("host", "view"):
        response = await app_server.client.get(
            f"/api/pads/{pad['id']}", headers={"Authorization": f"Bearer {pad[f'{role}_key']}"}
        )
        assert response.status_code == 200
        assert (response.json()["speakers"], response.json()["language"]) == (
            ["Soazig Kervadec"],
            "en",
        )
