"""What the export tests that open Chromium share: the hostile Markdown corpus, the probe of a
page's DOM, and the watch on what a page does. Fixtures are in tests/exports/conftest.py."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.async_api import Dialog, Page, Route

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "CORPUS", "DOM_PROBE", "Watch"]

CORPUS = json.loads((Path(__file__).parent / "hostile_markdown.json").read_text(encoding="utf-8"))

DOM_PROBE = """() => {
    const all = [...document.querySelectorAll('*')];
    return {
        scripts: document.scripts.length,
        handlers: all.flatMap(e => [...e.getAttributeNames()].filter(n => n.startsWith('on'))),
        styled: document.querySelectorAll('[style]').length,
        embedded: document.querySelectorAll('iframe, object, embed, form, img, svg, math').length,
        targets: [...document.links].map(a => a.protocol),
        pwned: typeof window.pwned,
    };
}"""


class Watch:
    """What a page did that an inert page must not do."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.console: list[str] = []

    async def attach(self, page: Page) -> None:
        page.on("dialog", self.on_dialog)
        page.on("console", lambda message: self.console.append(message.text))
        await page.route("**/*", self.on_request)

    async def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        await dialog.dismiss()

    async def on_request(self, route: Route) -> None:
        if route.request.url.startswith(self.origin + "/"):
            await route.continue_()
        else:
            self.foreign.append(route.request.url)
            await route.abort()
