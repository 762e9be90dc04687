"""Debian's Chromium driven by Playwright, and helpers to open a pad the way a person does.

Each person gets a browser context of their own (own localStorage, as on separate machines).
Every page records console errors and uncaught exceptions, and a test fails if any appeared:
a Content-Security-Policy violation shows up there first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, Person
from tests.live import OUTPUT_DIR, LiveServer, setting_variables

READY_TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's sync API holds an event loop while it runs,
    which asyncio tests in other modules must not find."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_pad(browser: Browser) -> Iterator[Callable[..., Person]]:
    """`open_pad(url, name=..., locale=..., width=...)`: a new person opens `url`.

    The call returns once the editor is ready (synced and mounted); with a name, the person then
    answers the first-visit name prompt, which only a page that may write shows.
    """
    contexts: list[BrowserContext] = []
    people: list[Person] = []

    def open_(
        url: str, name: str | None = None, locale: str = "fr-FR", width: int = 1280
    ) -> Person:
        context = browser.new_context(locale=locale, viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        person = Person(page)
        page.on("console", lambda m: m.type == "error" and person.errors.append(m.text))
        page.on("pageerror", lambda error: person.errors.append(str(error)))
        people.append(person)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", timeout=READY_TIMEOUT_MS)
        if name is not None and page.locator("#name-dialog[open]").count():
            page.locator("#name-input").fill(name)
            page.locator("#name-input").press("Enter")
        return person

    yield open_
    for context in contexts:
        context.close()
    assert [error for person in people for error in person.errors] == []


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One `skrid serve` (default settings) for the tests of a module that neither stop it nor
    read its log: each works on pads of its own. A test that does either takes `live_server`
    or `server_factory`."""
    directory = tmp_path_factory.mktemp("module_server")
    server = LiveServer(
        directory / "skrid.sqlite3", directory / "server.log", setting_variables({})
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
