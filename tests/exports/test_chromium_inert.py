"""The safety corpus in a real Chromium: no dialog, no script, no request to another origin.

Pages come from a real HTTP server on 127.0.0.1. Every page is also sent with a report-only
Content-Security-Policy forbidding scripts, so that any script Chromium would run (inline,
event handler, `javascript:` URL) is reported on the console even when it calls nothing
visible. The HTML export's own enforced policy would hide a sanitiser slip, so the fragments
are also served alone, in a page without any policy of its own; the HTML exports are loaded
together, one per frame of a page, each keeping its own policy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright

from exports import render_markdown, to_html
from tests.exports.helpers import CHROMIUM, CHROMIUM_ARGS, CORPUS, DOM_PROBE, Watch

REPORT_ONLY = "script-src 'none'; object-src 'none'"
SETTLE_MS = 200
"""Time left after the load event for late handlers (`onerror`, `ontoggle`) to fire."""


class QuietHandler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy-Report-Only", REPORT_ONLY)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the test reads what the browser saw, not the server's access log."""


def fragments_page() -> str:
    sections = "".join(
        f"<section>\n{render_markdown(case['markdown'])}</section>\n" for case in CORPUS
    )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>corpus</title>'
        f"</head><body>\n{sections}</body></html>\n"
    )


@pytest.fixture
def site(tmp_path: Path, make_pad) -> Iterator[str]:
    (tmp_path / "favicon.ico").write_bytes(b"")
    (tmp_path / "fragments.html").write_text(fragments_page(), encoding="utf-8")
    frames = []
    for number, case in enumerate(CORPUS):
        pad = make_pad(case["markdown"], title=case["markdown"])
        (tmp_path / f"page-{number}.html").write_text(to_html(pad), encoding="utf-8")
        frames.append(f'<iframe src="page-{number}.html"></iframe>\n')
    (tmp_path / "pages.html").write_text("".join(frames), encoding="utf-8")
    (tmp_path / "control.html").write_text(
        "<p onclick=x>x</p><script>alert(1)</script><img src=https://evil.example/p.png>"
        "<img src=missing onerror=window.pwned=1>",
        encoding="utf-8",
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


async def visit(page: Page, url: str) -> dict:
    await page.goto(url, wait_until="load")
    await page.wait_for_timeout(SETTLE_MS)
    return await page.evaluate(DOM_PROBE)


async def test_corpus_is_inert_in_chromium(site: str) -> None:
    watch = Watch(site)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await watch.attach(page)
        fragments = await visit(page, f"{site}/fragments.html")
        sections = await page.locator("section").count()
        await visit(page, f"{site}/pages.html")
        frames = {frame.url: await frame.evaluate(DOM_PROBE) for frame in page.frames[1:]}
        await browser.close()

    assert sections == len(CORPUS)
    assert sorted(frames) == sorted(f"{site}/page-{n}.html" for n in range(len(CORPUS)))
    for url, probe in [("fragments", fragments), *frames.items()]:
        assert set(probe.pop("targets")) <= {"http:", "https:"}, url
        assert probe == {
            "scripts": 0,
            "handlers": [],
            "styled": 0,
            "embedded": 0,
            "pwned": "undefined",
        }, url
    assert watch.dialogs == []
    assert watch.foreign == []
    assert watch.console == []


async def test_the_watch_sees_a_page_that_is_not_inert(site: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page()
        watch = Watch(site)
        await watch.attach(page)
        probe = await visit(page, f"{site}/control.html")
        await browser.close()

    assert watch.dialogs == ["1"]
    assert watch.foreign == ["https://evil.example/p.png"]
    assert any("Content Security Policy" in message for message in watch.console)
    assert probe["scripts"] == 1
    assert probe["handlers"] == ["onclick", "onerror"]
    assert probe["pwned"] == "number"
