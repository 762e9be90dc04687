"""Pad page load: from navigation to an editable, synced editor, measured in the browser.

Starts `skrid serve` on a free port with a temporary database, creates a pad with some text,
then loads its page N times in Debian's Chromium (each load in a fresh browser context, so
nothing is cached: the cold case) and N times more by reloading one context (the warm case).
The figure is the `skrid:ready` performance mark, which the page sets once the editor is
mounted and the first sync is done; the budget is a median under 1 s on localhost. It also
prints the JavaScript the page ships, raw and gzipped (budget: 350 KB gzipped).

    .venv/bin/python bench/page_load.py [--loads 5]
"""

from __future__ import annotations

import argparse
import gzip
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOADED_SCRIPTS_JS = """() => performance.getEntriesByType('resource')
  .map((entry) => entry.name).filter((name) => new URL(name).pathname.endsWith('.js'))"""
READY_JS = "performance.getEntriesByName('skrid:ready')[0]?.startTime ?? null"
BUDGET_MS = 1000.0
BUDGET_GZIP_KB = 350.0
NOTES = "# Notes\n\n" + "".join(f"- point {i} : voir exemple{i}.fr\n" for i in range(200))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server() -> Iterator[str]:
    """A `skrid serve` subprocess on a temporary database; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "server.cli", "serve", "--port", str(port)]
        process = subprocess.Popen(
            [*command, "--db", f"{tmp}/bench.sqlite3"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


def seed_pad(browser: Browser, base: str) -> str:
    """Create a pad, type NOTES into it through the page, return the edit URL."""
    pad = httpx.post(f"{base}/api/pads", json={"title": "Banc d'essai"}).json()
    url = f"{base}/p/{pad['id']}?k={pad['edit_key']}"
    context = browser.new_context()
    context.add_init_script("localStorage.setItem('skrid.name', 'Banc')")
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.locator(".cm-content").click()
    page.keyboard.insert_text(NOTES)
    page.wait_for_timeout(500)
    context.close()
    return url


def ready_ms(page_url: str, browser: Browser, loads: int) -> tuple[list[float], list[float]]:
    """Milliseconds from navigation start to `skrid:ready`: cold loads, then warm reloads."""
    cold = []
    for _ in range(loads):
        context = browser.new_context()
        context.add_init_script("localStorage.setItem('skrid.name', 'Banc')")
        page = context.new_page()
        page.goto(page_url)
        page.wait_for_selector("body[data-ready=true]")
        cold.append(float(page.evaluate(READY_JS)))
        context.close()
    context = browser.new_context()
    context.add_init_script("localStorage.setItem('skrid.name', 'Banc')")
    page = context.new_page()
    page.goto(page_url)
    page.wait_for_selector("body[data-ready=true]")
    warm = []
    for _ in range(loads):
        page.reload()
        page.wait_for_selector("body[data-ready=true]")
        warm.append(float(page.evaluate(READY_JS)))
    context.close()
    return cold, warm


def javascript_kb(page_url: str, browser: Browser) -> tuple[float, float]:
    """Every script the pad page loads, its lazily loaded preview included: raw and gzipped KB."""
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_selector("#preview h1")
    scripts = page.evaluate(LOADED_SCRIPTS_JS)
    page.close()
    bodies = [httpx.get(src).content for src in scripts]
    raw = sum(len(body) for body in bodies)
    gz = sum(len(gzip.compress(body, compresslevel=9)) for body in bodies)
    return raw / 1024, gz / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="loads per case (default 5)")
    args = parser.parse_args()
    with server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page_url = seed_pad(browser, base)
        raw_kb, gz_kb = javascript_kb(page_url, browser)
        cold, warm = ready_ms(page_url, browser, args.loads)
        browser.close()
    print(
        f"pad page JavaScript: {raw_kb:.1f} KB raw, {gz_kb:.1f} KB gzipped "
        f"(budget {BUDGET_GZIP_KB:.0f} KB gzipped)"
    )
    print(f"document: {len(NOTES)} characters")
    for name, figures in (("cold", cold), ("warm", warm)):
        shown = ", ".join(f"{ms:.0f}" for ms in figures)
        median = statistics.median(figures)
        print(
            f"navigation -> editable synced editor, {name}: median {median:.0f} ms "
            f"over {len(figures)} loads ({shown}) (budget {BUDGET_MS:.0f} ms)"
        )


if __name__ == "__main__":
    main()
