"""The pages in a real browser: the pad page's JavaScript budget and the home page's form."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import pad_url
from tests.live import LiveServer

JS_BUDGET_GZIP_BYTES = 350 * 1024
LOADED_SCRIPTS_JS = """() => performance.getEntriesByType('resource')
  .map((entry) => entry.name).filter((name) => new URL(name).pathname.endsWith('.js'))"""


def test_the_pad_page_ships_at_most_350_kb_of_gzipped_javascript(
    module_server: LiveServer, open_pad: Any
) -> None:
    pad = module_server.create_pad()
    page = open_pad(pad_url(module_server, pad), name="Anne").page
    page.locator(".cm-content").click()
    page.keyboard.insert_text("# Aperçu chargé")
    expect(page.locator("#preview h1")).to_have_text("Aperçu chargé")
    scripts = page.evaluate(LOADED_SCRIPTS_JS)
    assert any("/chunks/preview-" in src for src in scripts)
    total = sum(len(gzip.compress(httpx.get(src).content, compresslevel=9)) for src in scripts)
    assert 0 < total <= JS_BUDGET_GZIP_BYTES


def fill_home_form(
    page: Page, server: LiveServer, title: str, date: str, start: str, end: str
) -> None:
    """Open the home page, fill in its form in French, and submit it."""
    page.goto(server.url + "/")
    page.get_by_label("Titre du webinaire").fill(title)
    page.get_by_label("Date").fill(date)
    page.get_by_label("Début").fill(start)
    page.get_by_label("Fin").fill(end)
    page.get_by_role("button", name="Créer le pad").click()


def test_the_home_page_creates_a_pad_and_says_which_link_to_share(
    module_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    fill_home_form(page, module_server, "Atelier vélo", "2031-03-30", "18:00", "19:30")
    share = page.get_by_role("textbox", name="Lien à partager avec les participants")
    expect(share).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/p/\w"))
    expect(page.locator(".share")).to_contain_text("C’est celui-ci qu’il faut envoyer")
    page.get_by_role("button", name="Copier le lien à partager avec les participants").click()
    assert page.evaluate("navigator.clipboard.readText()") == share.input_value()
    pad_id = share.input_value().split("/p/")[1].split("?")[0]
    key = share.input_value().split("k=")[1]
    meta: dict[str, Any] = httpx.get(f"{module_server.url}/api/pads/{pad_id}?k={key}").json()
    assert meta["title"] == "Atelier vélo"
    assert meta["role"] == "edit"
    # 30 March 2031 is the day clocks go forward: 18:00 in Paris is 16:00 UTC.
    assert datetime.fromisoformat(meta["starts_at"]) == datetime(2031, 3, 30, 16, 0, tzinfo=UTC)
    assert datetime.fromisoformat(meta["ends_at"]) == datetime(2031, 3, 30, 17, 30, tzinfo=UTC)
    host = page.get_by_role("textbox", name="Lien de l’organisation").input_value()
    assert "/host/" in host
    context.close()
    assert errors == []


def test_the_home_page_refuses_an_end_before_the_start(
    module_server: LiveServer, browser: Browser
) -> None:
    page = browser.new_page(locale="fr-FR")
    page.goto(module_server.url + "/")
    page.get_by_label("Titre du webinaire").fill("À l'envers")
    page.get_by_label("Début").fill("18:00")
    page.get_by_label("Fin").fill("17:00")
    page.get_by_role("button", name="Créer le pad").click()
    expect(page.get_by_role("alert")).to_contain_text("L’heure de fin doit suivre")
    expect(page.locator("#result")).to_be_hidden()
    page.close()


def test_the_home_page_says_what_is_wrong_with_the_schedule_before_creating(
    module_server: LiveServer, browser: Browser
) -> None:
    """A time without a date was dropped without a word, and a webinar already over was created
    closed with its purge imminent: the form says so, and nothing is created."""
    page = browser.new_page(locale="fr-FR")
    fill_home_form(page, module_server, "Déjà fini", "2020-05-04", "18:00", "19:00")
    expect(page.get_by_role("alert")).to_contain_text("Cette fin est déjà passée")
    page.get_by_label("Date").fill("")
    page.get_by_role("button", name="Créer le pad").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez la date du webinaire")
    expect(page.locator("#result")).to_be_hidden()
    page.get_by_label("Date").fill("2031-03-30")
    page.get_by_role("button", name="Créer le pad").click()
    expect(page.locator("#result")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_hidden()
    page.close()


def test_a_wrong_page_or_key_says_so_in_the_pages_language_with_a_way_back(
    module_server: LiveServer, browser: Browser
) -> None:
    page = browser.new_page(locale="fr-FR")
    page.goto(module_server.url + "/p-inconnu")
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    page.get_by_role("link", name="Retour à l’accueil de Skrid").click()
    expect(page.get_by_label("Titre du webinaire")).to_be_visible()
    pad = module_server.create_pad()
    page.goto(f"{module_server.url}/p/{pad['id']}?k=mauvaise-cle")
    expect(page.locator("#fatal")).to_contain_text("Ce lien n’est pas valide")
    expect(page.locator("#status")).to_be_hidden()
    expect(page.locator("#rename")).to_be_hidden()
    expect(page.get_by_role("link", name="Retour à l’accueil de Skrid")).to_be_visible()
    english = browser.new_page(locale="en-GB")
    english.goto(module_server.url + "/archive/nope")
    expect(english.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(english.get_by_role("link", name="The webinar archive")).to_be_visible()
    page.close()
    english.close()
