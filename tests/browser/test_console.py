"""The host's console /host/{id}?k={host_key} in a real browser against a real server: moves that
reach an attendee's open page live, the contact list, the confirmed purge and the publish switch,
refusal of a key that is not the host's, a phone-sized layout and screenshots for the eye."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import converged, pad_url, wait_for
from tests.live import LiveServer

NOTES = (
    "# Atelier mobilité\n\n"
    "- Karim : écrire à karim.benali@exemple.fr pour le prochain atelier\n"
    "- Claire, tél. 06 12 34 56 78, claire@asso-velo.org\n"
    "- Rappel : karim.benali@exemple.fr\n"
)
SCHEDULED_CLOSE_S = 4
CONTACTS_CSV = "email\r\nkarim.benali@exemple.fr\r\nclaire@asso-velo.org\r\n"


def write_notes(server: LiveServer, pad: dict[str, Any]) -> None:
    """An attendee's pycrdt client writes NOTES; return once the server holds them. It runs on a
    thread of its own: Playwright's sync API holds this thread's event loop."""

    async def write() -> None:
        async with server.peer(pad) as peer:
            await peer.append(NOTES)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, write()).result()
    wait_for(lambda: server.text(pad) == NOTES)


def console_url(server: LiveServer, pad: dict[str, Any], role: str = "host") -> str:
    return f"{server.url}/host/{pad['id']}?k={pad[f'{role}_key']}"


@pytest.fixture
def open_console(browser: Browser) -> Iterator[Any]:
    """`open_console(url, width=...)`: a host opens the console in French, from a browser whose
    clock is not on Paris time (the console must show Paris time anyway); the call returns once
    the console shows the pad. Console errors fail the test, as on the pad page."""
    pages: list[Page] = []
    errors: list[str] = []

    def open_(url: str, width: int = 1280, ready: bool = True) -> Page:
        context = browser.new_context(
            locale="fr-FR", timezone_id="America/Montreal", viewport={"width": width, "height": 900}
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        pages.append(page)
        page.goto(url)
        if ready:
            expect(page.locator("#console")).to_be_visible()
        return page

    yield open_
    for page in pages:
        page.context.close()
    assert errors == []


def test_closing_from_the_console_turns_an_open_pad_read_only_and_reopen_undoes_it(
    module_server: LiveServer, open_pad: Any, open_console: Any
) -> None:
    pad = module_server.create_pad("Atelier mobilité")
    anne = open_pad(pad_url(module_server, pad), name="Anne")
    anne.type_at_end("Avant la fermeture.")
    converged(module_server, pad, anne)
    host = open_console(console_url(module_server, pad))
    expect(host.locator("#state")).to_have_text("En cours")
    expect(host.locator("#countdown")).to_contain_text("Aucune étape automatique")
    expect(host.get_by_role("button", name="Rouvrir le pad")).to_be_hidden()

    host.get_by_role("button", name="Fermer le pad").click()
    expect(host.locator("#state")).to_have_text("Fermé")
    expect(host.get_by_role("status").filter(has_text="Pad fermé")).to_be_visible()
    expect(anne.page.locator("#banner")).to_contain_text("Le pad est fermé")
    expect(anne.page.locator(".cm-content")).to_have_attribute("contenteditable", "false")
    expect(host.locator("#countdown")).to_contain_text(
        "Effacement automatique des données personnelles dans 1 h 59 min"
    )
    expect(host.get_by_role("button", name="Fermer le pad")).to_be_hidden()

    host.get_by_role("button", name="Rouvrir le pad").click()
    expect(host.locator("#state")).to_have_text("En cours")
    expect(anne.page.locator("#banner")).to_be_hidden()
    anne.type_at_end(" Rouvert.")
    assert converged(module_server, pad, anne) == "Avant la fermeture. Rouvert."


def test_the_contact_list_counts_and_downloads_the_csv_before_the_purge(
    module_server: LiveServer, open_console: Any
) -> None:
    pad = module_server.create_pad("Atelier mobilité")
    write_notes(module_server, pad)
    host = open_console(console_url(module_server, pad))
    expect(host.locator("#contacts-count")).to_have_text("2 adresses e-mail")
    with host.expect_download() as download_info:
        host.get_by_role("button", name="Télécharger la liste (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"contacts-{pad['id']}.csv"
    assert Path(download.path()).read_bytes().decode() == CONTACTS_CSV
    with host.expect_download() as export_info:
        host.get_by_role("button", name="Markdown (.md)").click()
    assert "karim.benali@exemple.fr" in Path(export_info.value.path()).read_text()
    expect(host.locator("#exports-help")).to_contain_text("contiennent encore les adresses")


def test_purge_asks_first_then_shows_the_counts_and_the_publish_switch_works(
    module_server: LiveServer, open_console: Any, output_dir: Path
) -> None:
    pad = module_server.create_pad("Atelier mobilité")
    write_notes(module_server, pad)
    host = open_console(console_url(module_server, pad))
    purge = host.get_by_role("button", name="Effacer les données personnelles")
    dialog = host.get_by_role("dialog", name="Effacer les données personnelles maintenant ?")
    expect(host.locator("#help-edit")).to_contain_text("permet d’écrire dans le pad")
    expect(purge).to_be_hidden()  # not beside "Fermer le pad" while the webinar runs
    host.get_by_role("button", name="Fermer le pad").click()
    expect(host.locator("#state")).to_have_text("Fermé")

    purge.focus()
    host.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Annuler")).to_be_focused()
    host.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    host.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    host.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(host.locator("#state")).to_have_text("Fermé")
    assert "karim.benali@exemple.fr" in module_server.text(pad)

    purge.click()
    host.screenshot(path=str(output_dir / "console-confirm-purge.png"))
    dialog.get_by_role("button", name="Effacer définitivement").click()
    expect(host.locator("#state")).to_have_text("Anonymisé")
    expect(host.locator("#count-email")).to_have_text("3")
    expect(host.locator("#count-phone")).to_have_text("1")
    expect(host.locator("#contacts-box")).to_be_hidden()
    assert "exemple.fr" not in module_server.text(pad)
    expect(host.locator("#help-edit")).to_have_text(
        "Depuis l’effacement, ce lien permet seulement de lire les notes anonymisées."
    )
    public_page = host.get_by_role("link", name="Voir la page publique des notes")
    expect(public_page).to_be_hidden()

    switch = host.get_by_role("switch", name="Publié dans l’archive publique")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(host.locator("#state")).to_have_text("Publié")
    expect(public_page).to_have_attribute("href", f"/archive/{pad['id']}")
    host.screenshot(path=str(output_dir / "console-published.png"), full_page=True)
    public = httpx.get(f"{module_server.url}/api/pads/{pad['id']}/export.md")
    assert public.status_code == 200 and "Atelier mobilité" in public.text
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert httpx.get(f"{module_server.url}/api/pads/{pad['id']}/export.md").status_code == 401


def test_the_purge_counts_people_who_wrote_not_their_browser_sessions(
    module_server: LiveServer, open_pad: Any, open_console: Any
) -> None:
    """Anne writes from two browsers, Bruno from one, Chloé only reads: two people wrote, on
    the console and on the public archive page (the count of sessions said 3, or more with
    reloads). The archive page says when the webinar was in Paris time, French style."""
    pad = module_server.create_pad(
        "Atelier vélo", starts_at="2026-12-02T07:08:00+00:00", ends_at="2030-01-10T16:00:00+01:00"
    )
    url = pad_url(module_server, pad)
    writers = [open_pad(url, name="Anne"), open_pad(url, name="Anne"), open_pad(url, name="Bruno")]
    open_pad(url, name="Chloé")
    for number, person in enumerate(writers):
        person.type_at_end(f"note {number}. ")
    converged(module_server, pad, *writers)
    host = open_console(console_url(module_server, pad))
    host.get_by_role("button", name="Fermer le pad").click()
    host.get_by_role("button", name="Effacer les données personnelles").click()
    host.get_by_role("button", name="Effacer définitivement").click()
    expect(host.locator("#state")).to_have_text("Anonymisé")
    expect(host.locator("#count-contributors")).to_have_text("2")
    host.get_by_role("switch", name="Publié dans l’archive publique").click()
    expect(host.locator("#state")).to_have_text("Publié")
    host.goto(f"{module_server.url}/archive/{pad['id']}")
    expect(host.locator("body")).to_contain_text("2 personnes ont écrit")
    expect(host.locator("body")).to_contain_text(
        "du mercredi 2 décembre 2026 à 8 h 08 au jeudi 10 janvier 2030 à 16 h 00"
    )
    host.get_by_role("link", name="English").click()
    expect(host.locator("body")).to_contain_text("2 people wrote")
    host.get_by_role("link", name="Webinar archive").click()
    expect(host.get_by_role("link", name="Atelier vélo")).to_have_attribute(
        "href", f"/archive/{pad['id']}?lang=en"
    )


@pytest.mark.parametrize(
    ("role", "message"), [("edit", "celui des participants"), ("view", "celui de lecture seule")]
)
def test_a_key_that_is_not_the_hosts_gets_a_clear_refusal(
    module_server: LiveServer, open_console: Any, role: str, message: str
) -> None:
    pad = module_server.create_pad()
    page = open_console(console_url(module_server, pad, role), ready=False)
    expect(page.get_by_role("alert")).to_contain_text(message)
    expect(page.get_by_role("alert")).to_contain_text("lien de l’organisation")
    expect(page.locator("#console")).to_be_hidden()
    assert page.locator("[data-action]:visible, #link-host:visible").count() == 0


def test_a_scheduled_close_counts_down_and_shows_up_without_a_reload(
    server_factory: Any, open_console: Any
) -> None:
    server = server_factory(scheduler_seconds=0.5)
    ends_at = datetime.now(UTC) + timedelta(seconds=SCHEDULED_CLOSE_S)
    pad = server.create_pad(ends_at=ends_at.isoformat(), purge_after_minutes=60)
    host = open_console(console_url(server, pad))
    expect(host.locator("#state")).to_have_text("En cours")
    expect(host.locator("#countdown")).to_contain_text(
        re.compile(r"Fermeture automatique dans \d s")
    )
    expect(host.locator("#state")).to_have_text("Fermé", timeout=(SCHEDULED_CLOSE_S + 8) * 1000)
    expect(host.locator("#countdown")).to_contain_text(
        "Effacement automatique des données personnelles dans 59 min"
    )
    expect(host.get_by_role("button", name="Rouvrir le pad")).to_be_visible()


def test_deleting_asks_first_and_then_says_the_pad_is_gone(
    module_server: LiveServer, open_console: Any
) -> None:
    pad = module_server.create_pad()
    host = open_console(console_url(module_server, pad))
    host.get_by_role("button", name="Supprimer le pad").click()
    host.get_by_role("dialog").get_by_role("button", name="Supprimer définitivement").click()
    expect(host.get_by_role("alert")).to_contain_text("Le pad a été supprimé")
    auth = {"Authorization": f"Bearer {pad['host_key']}"}
    assert httpx.get(f"{module_server.url}/api/pads/{pad['id']}", headers=auth).status_code == 404


def test_console_in_paris_time_in_english_on_a_360px_phone_with_screenshots(
    module_server: LiveServer, open_console: Any, output_dir: Path
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    ends_at = now + timedelta(minutes=75)
    pad = module_server.create_pad(
        "Budget participatif : bilan 2025",
        starts_at=(now - timedelta(minutes=15)).isoformat(),
        ends_at=ends_at.isoformat(),
    )
    write_notes(module_server, pad)
    host = open_console(console_url(module_server, pad))
    expect(host.locator("#contacts-count")).to_have_text("2 adresses e-mail")
    countdown = re.compile(r"Fermeture automatique dans 1 h 1\d min \d\d s")
    expect(host.locator("#countdown")).to_contain_text(countdown)
    paris_end = ends_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M")
    end_row = host.locator("#timeline div").filter(has_text="Fin")
    expect(end_row).to_contain_text(f"à {paris_end}")
    share = host.get_by_role("textbox", name="Lien à partager avec les participants")
    expect(share).to_have_value(f"{module_server.url}/p/{pad['id']}?k={pad['edit_key']}")
    host.get_by_role("button", name="Copier le lien à partager avec les participants").click()
    assert host.evaluate("navigator.clipboard.readText()") == share.input_value()
    host.screenshot(path=str(output_dir / "console.png"), full_page=True)

    host.set_viewport_size({"width": 360, "height": 780})
    host.get_by_label("Langue").select_option("en")
    expect(host.locator("#state")).to_have_text("Live")
    expect(host.locator("#contacts-count")).to_have_text("2 e-mail addresses")
    expect(host.locator("#countdown")).to_contain_text("Automatic close in")
    assert host.evaluate("document.documentElement.scrollWidth") <= 360
    for control in ["#lang", "[data-action=close]", "#contacts-download", "[data-copy=edit]"]:
        box = host.locator(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    host.screenshot(path=str(output_dir / "console-360px-en.png"), full_page=True)
    assert (output_dir / "console.png").stat().st_size > 10_000


def test_the_host_reviews_the_purge_keeps_a_name_adds_one_and_the_purge_does_it(
    server_factory: Any, open_console: Any
) -> None:
    """From the close on, the console shows what the purge will remove, line by line, and the
    notes it will leave; a name the host keeps stays, a word the host adds goes, and the stored
    notes after the purge are the preview."""
    server = server_factory()
    pad = server.create_pad("Atelier compostage")

    async def write() -> None:
        async with server.peer(pad) as peer:
            await peer.append(
                "## Questions\n"
                "signalé par Roseline : le bac est plein\n"
                "merci à Gwenaëlle pour la fiche de Jean Compost\n"
                "écrire à karim.benali@exemple.fr\n"
            )

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, write()).result()
    host_headers = {"Authorization": f"Bearer {pad['host_key']}"}
    httpx.post(f"{server.url}/api/pads/{pad['id']}/close", headers=host_headers).raise_for_status()
    host = open_console(console_url(server, pad))
    review = host.locator("#review-box")
    expect(review).to_be_visible()
    expect(host.locator("#review-found")).to_contain_text("Roseline", timeout=60_000)
    expect(host.locator("#review-contacts")).to_contain_text("karim.benali@exemple.fr")
    expect(host.locator("#review-text")).not_to_contain_text("Roseline")
    host.locator("#review-found .review-keep[data-name='Gwenaëlle']").click()
    expect(host.locator("#review-kept")).to_contain_text("Gwenaëlle", timeout=60_000)
    expect(host.locator("#review-text")).to_contain_text("Gwenaëlle")
    host.fill("#review-remove", "Compost")
    host.locator("#review-remove-form button").click()
    expect(host.locator("#review-text")).not_to_contain_text("Jean Compost", timeout=60_000)
    preview = host.locator("#review-text").text_content()
    response = httpx.post(
        f"{server.url}/api/pads/{pad['id']}/purge", headers=host_headers, timeout=60
    )
    response.raise_for_status()
    assert server.text(pad) == preview
