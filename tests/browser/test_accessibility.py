"""Every page in every state a person sees it in, checked by axe-core in Chromium: text
contrast of at least 4.5:1 (the editor's placeholder and the state badges included), names,
labels, roles and landmarks. French pages, then one in English."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import accessibility_problems, converged, pad_url
from tests.live import LiveServer


def act(server: LiveServer, pad: dict[str, Any], action: str) -> None:
    auth = {"Authorization": f"Bearer {pad['host_key']}"}
    url = f"{server.url}/api/pads/{pad['id']}/{action}"
    httpx.post(url, headers=auth, timeout=60).raise_for_status()


def clean(page: Page) -> None:
    problems = accessibility_problems(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def test_every_page_in_each_state_passes_axe(
    module_server: LiveServer, open_pad: Any, browser: Browser
) -> None:
    home = browser.new_page(locale="fr-FR")
    home.goto(module_server.url + "/")
    clean(home)
    pad = module_server.create_pad(
        "Atelier vélo", ends_at="2030-01-10T16:00:00+01:00", purge_after_minutes=90, starts_at=None
    )
    anne = open_pad(pad_url(module_server, pad), name="Anne")
    expect(anne.page.locator(".cm-placeholder")).to_be_visible()  # an empty pad shows it
    clean(anne.page)
    host = browser.new_page(locale="fr-FR")
    host.goto(f"{module_server.url}/host/{pad['id']}?k={pad['host_key']}")
    state = host.locator("#state")
    expect(state).to_have_text("En cours")
    clean(host)
    anne.type_at_end("Notes d’Anne : anne@exemple.fr")
    converged(module_server, pad, anne)
    act(module_server, pad, "close")
    expect(state).to_have_text("Fermé", timeout=10_000)
    expect(anne.page.locator("#banner")).to_be_visible()
    clean(host)
    clean(anne.page)
    act(module_server, pad, "purge")
    expect(state).to_have_text("Anonymisé", timeout=10_000)
    clean(host)
    act(module_server, pad, "publish")
    expect(state).to_have_text("Publié", timeout=10_000)
    clean(host)
    for path in ("/archive", f"/archive/{pad['id']}", "/nulle-part"):
        home.goto(module_server.url + path)
        clean(home)
    english = browser.new_page(locale="en-GB")
    english.goto(pad_url(module_server, pad))
    expect(english.locator("#banner")).to_be_visible()
    clean(english)
    for page in (home, host, english):
        page.close()
