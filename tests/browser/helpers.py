"""What the browser tests share: Debian's Chromium, a person's page on a pad, and waiting for
pages and server to agree. Fixtures are in tests/browser/conftest.py."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

from tests.live import ROOT, LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SYNC_TIMEOUT_S = 10.0
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, the accessibility checker (npm, installed with the test peers by `make test`)."""

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


def pad_url(server: LiveServer, pad: dict[str, str], role: str = "edit") -> str:
    return f"{server.url}/p/{pad['id']}?k={pad[f'{role}_key']}"


def wait_for(condition: Any, timeout: float = SYNC_TIMEOUT_S) -> None:
    """Poll `condition()` until it is true; Playwright pages keep running meanwhile."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def converged(server: LiveServer, pad: dict[str, Any], *people: Person) -> str:
    """Wait until every page shows the server's text; return it (or fail showing them all)."""
    deadline = time.monotonic() + SYNC_TIMEOUT_S
    while True:
        texts = [person.editor_text() for person in people] + [server.text(pad)]
        if len(set(texts)) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert texts == [texts[0]] * len(texts)
    return texts[0]


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def accessibility_problems(page: Page) -> list[str]:
    """What axe-core finds wrong on the page as it is now (contrast of 4.5:1 for text, names,
    roles, labels, landmarks...), one line per rule and element; [] when clean. Evaluated
    through the DevTools protocol, so the page's Content-Security-Policy lets it run."""
    page.evaluate(_axe_source())
    violations = page.evaluate(
        """() => axe.run().then((result) => result.violations.flatMap((violation) =>
          violation.nodes.map((node) =>
            `${violation.id}: ${node.target.join(' ')}: ${node.failureSummary}`)))"""
    )
    return list(violations)
