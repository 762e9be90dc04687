"""Debian's Chromium driven by Playwright, and helpers to open a pad the way a person does.

Each person gets a browser context of their own (own localStorage, as on separate machines).
Every page records console errors and uncaught exceptions, and a test fails if any appeared:
a Content-Security-Policy violation shows up there first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import OUTPUT_DIR, LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY_TIMEOUT_MS = 10_000

# The text of the editor as the person sees it, without the remote carets' name labels.
EDITOR_TEXT_JS = """() => Array.from(document.querySelectorAll('.cm-content .cm-line'), (line) => {
  const copy = line.cloneNode(true)
  copy.querySelectorAll('.cm-ySelectionCaret, .cm-widgetBuffer').forEach((el) => el.remove())
  return copy.textContent
}).join('\\n')"""


@dataclass
class Person:
    """One browser page on a pad, with what it logged."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def editor_text(self) -> str:
        return str(self.page.evaluate(EDITOR_TEXT_JS))

    def participants(self) -> list[str]:
        return self.page.locator("#participants .participant-name").all_inner_texts()

    def type_at_end(self, text: str) -> None:
        self.page.locator(".cm-content").click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)

    def type_at_start(self, text: str) -> None:
        self.page.locator(".cm-content").click()
        self.page.keyboard.press("Control+Home")
        self.page.keyboard.type(text)


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

    With a name, the person answers the first-visit name prompt; the call returns once the
    editor is ready (synced and mounted).
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
        if name is not None:
            page.locator("#name-input").fill(name)
            page.locator("#name-input").press("Enter")
        page.wait_for_selector("body[data-ready=true]", timeout=READY_TIMEOUT_MS)
        return person

    yield open_
    for context in contexts:
        context.close()
    assert [error for person in people for error in person.errors] == []


def pad_url(server: LiveServer, pad: dict[str, str], role: str = "edit") -> str:
    return f"{server.url}/p/{pad['id']}?k={pad[f'{role}_key']}"


@pytest.fixture
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR
