import posixpath
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import async_playwright

from exports import EXPORT_FORMATS, cited_links, render_markdown
from exports.archive.site import (
    MAX_FEED_ENTRIES,
    SERVER_LINKS,
    STATIC_INDEX_LINKS,
    STATIC_PAD_LINKS,
    SUMMARY_CHARS,
    ArchiveEntry,
    archive_icon,
    archive_stylesheet,
    render_feed,
    render_index,
    render_pad_page,
    static_site,
    static_site_files,
)
from tests.exports.helpers import CHROMIUM, CHROMIUM_ARGS, CORPUS, DOM_PROBE, Watch

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = datetime(2025, 3, 13, 9, 0, tzinfo=UTC)
HOSTILE_TITLE = '<script>alert("titre")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture
def entry(make_pad):
    def make(pad_id: str = "pad-42", days: int = 0, **meta) -> ArchiveEntry:
        return ArchiveEntry(
            document=make_pad(id=pad_id, **meta),
            published_at=PUBLISHED + timedelta(days=days),
            edits_per_minute=[4, 9, 0, 17, 3],
            contributors=6,
        )

    return make


@pytest.fixture
def three(entry) -> list[ArchiveEntry]:
    """Published on the 13th, 15th and 14th: listed 15th, 14th, 13th."""
    return [
        entry("pad-old", 0, title="Le premier"),
        entry("pad-new", 2, title="Le dernier"),
        entry("pad-mid", 1, title="Le deuxième"),
    ]


def hrefs(inventory, html: str) -> list[str]:
    return [attrs["href"] for tag, attrs in inventory(html).elements if "href" in attrs]


def test_index_lists_newest_first_with_date_and_links_count(three, inventory, notes) -> None:
    html = render_index(three, SERVER_LINKS)

    pads = [href for href in hrefs(inventory, html) if href.startswith("/archive/pad")]
    assert pads == ["/archive/pad-new", "/archive/pad-mid", "/archive/pad-old"]
    assert html.index("Le dernier") < html.index("Le deuxième") < html.index("Le premier")
    assert f"{len(cited_links(notes))} liens" in html
    assert '<html lang="fr">' in html
    assert "/static/archive.css" in hrefs(inventory, html)


def test_index_dates_are_paris_time(entry) -> None:
    late = entry(starts_at=datetime(2025, 3, 12, 23, 30, tzinfo=UTC), ends_at=None)

    assert "13 mars 2025" in render_index([late], SERVER_LINKS)


def test_index_without_entries_and_in_english(entry) -> None:
    assert "Aucune note publiée pour l’instant." in render_index([], SERVER_LINKS)
    english = render_index([entry()], SERVER_LINKS, lang="en")
    assert '<html lang="en">' in english
    assert "Webinar archive" in english
    assert "12 March 2025" in english


def test_pad_page_holds_notes_links_activity_purge_and_downloads(entry, inventory, notes) -> None:
    html = render_pad_page(entry(), SERVER_LINKS)

    assert "<h1>Mobilité à Clermont</h1>" in html
    assert "mercredi 12 mars 2025 de 15 h 00 à 16 h 30" in html
    assert render_markdown(notes) in html
    for link in cited_links(notes):
        assert f'<a href="{link.url}" rel="nofollow noopener">{link.url}</a>' in html
        assert f"ligne {link.line} :" in html
    # Each link's line of context, without its Markdown marks (the notes above keep theirs).
    links_list = html.split('class="cited-links"')[1].split("</ol>")[0]
    assert "Les Décarbonautes (www.lesdecarbonautes.fr)." in links_list
    assert "Le guide (https://exemple.org/guide" in links_list
    assert "**" not in links_list and "](" not in links_list and "- " not in links_list
    assert "<svg" in html and "6 personnes ont écrit" in html
    assert "3 adresses e-mail retirées" in html
    assert "1 numéro de téléphone retiré" in html
    downloads = [href for href in hrefs(inventory, html) if href.startswith("/api/")]
    assert downloads == [f"/api/pads/pad-42/export.{ext}" for ext in EXPORT_FORMATS]


def test_pad_page_in_english_with_nothing_removed(entry) -> None:
    html = render_pad_page(entry(purge_counts={"email": 0}), SERVER_LINKS, lang="en")

    assert "Cited links" in html
    assert "There were no addresses or phone numbers to remove." in html
    assert "Wednesday 12 March 2025 from 15:00 to 16:30" in html


def test_unknown_purge_kind_is_named(entry) -> None:
    html = render_pad_page(entry(purge_counts={"iban": 2}), SERVER_LINKS)

    assert "2 éléments retirés (iban)" in html


def test_pages_have_no_script_and_no_inline_style(entry, inventory) -> None:
    for html in (render_index([entry()], SERVER_LINKS), render_pad_page(entry(), SERVER_LINKS)):
        found = inventory(html)
        tags = {tag for tag, _ in found.elements}
        assert not tags & {"script", "style", "iframe", "object", "embed", "img", "form"}
        assert not [name for _, attrs in found.elements for name in attrs if name.startswith("on")]
        assert not [attrs for _, attrs in found.elements if "style" in attrs]


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_hostile_title_and_notes_stay_inert(entry, inventory, case) -> None:
    hostile = entry(title=case["markdown"], text=case["markdown"] + "\n" + case["markdown"])

    for html in (render_index([hostile], SERVER_LINKS), render_pad_page(hostile, SERVER_LINKS)):
        found = inventory(html)
        assert {tag for tag, _ in found.elements} <= ALLOWED_PAGE_TAGS
        for _, attrs in found.elements:
            assert not [name for name in attrs if name.startswith("on") or name == "style"]
            href = attrs.get("href")
            if href is not None:
                assert urlsplit(href).scheme in ("", "http", "https"), href


ALLOWED_PAGE_TAGS = {
    *("html", "head", "meta", "title", "link", "body", "header", "main", "footer", "nav"),
    *("article", "section", "figure", "ol", "ul", "li", "a", "p", "span", "time", "h1", "h2"),
    *("svg", "desc", "text", "rect", "line"),
    *("blockquote", "br", "code", "em", "h3", "h4", "h5", "h6", "hr", "pre", "strong"),
    *("table", "tbody", "td", "th", "thead", "tr"),
}
"""The page's own tags plus `render_markdown`'s allow-list: nothing else may appear."""


def test_feed_is_atom_with_one_entry_per_pad(three, notes) -> None:
    feed = ET.fromstring(render_feed(three, "https://reseau.example", SERVER_LINKS))

    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}updated").text == "2025-03-15T09:00:00Z"
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "https://reseau.example/archive/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Le dernier",
        "Le deuxième",
        "Le premier",
    ]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "https://reseau.example/archive/pad-new"
    assert first.find(f"{ATOM}updated").text == "2025-03-15T09:00:00Z"
    assert first.find(f"{ATOM}summary").text.startswith("Webinaire : la mobilité à Clermont Interv")


def test_feed_summary_is_cut_at_a_word(entry) -> None:
    long = entry(text="# Titre\n\n" + "mot " * 200 + "\n")
    feed = ET.fromstring(render_feed([long], "", SERVER_LINKS))

    summary = feed.find(f"{ATOM}entry/{ATOM}summary").text
    assert summary.startswith("Titre mot mot")
    assert summary.endswith("mot …")
    assert len(summary) <= SUMMARY_CHARS + 2


def test_feed_keeps_the_newest_up_to_its_limit(entry) -> None:
    pads = [entry(f"pad-{n}", n) for n in range(MAX_FEED_ENTRIES + 1)]

    def kept(count: int, **options: int) -> int:
        feed = ET.fromstring(render_feed(pads[:count], "", SERVER_LINKS, **options))
        return len(feed.findall(f"{ATOM}entry"))

    assert kept(MAX_FEED_ENTRIES) == MAX_FEED_ENTRIES
    assert kept(MAX_FEED_ENTRIES + 1) == MAX_FEED_ENTRIES
    assert kept(3, max_entries=2) == 2
    newest = ET.fromstring(render_feed(pads, "", SERVER_LINKS, max_entries=1))
    assert newest.find(f"{ATOM}entry/{ATOM}link").get("href") == f"/archive/pad-{MAX_FEED_ENTRIES}"


def test_feed_escapes_titles_and_drops_what_xml_cannot_hold(entry) -> None:
    title = HOSTILE_TITLE + " \x00\x1b]]> fin"
    feed = ET.fromstring(render_feed([entry(title=title)], "", STATIC_INDEX_LINKS))

    item = feed.find(f"{ATOM}entry")
    assert item.find(f"{ATOM}title").text == HOSTILE_TITLE + " ]]> fin"
    assert item.find(f"{ATOM}link").get("href") == "pad-42/index.html"


def test_feed_ids_stay_when_the_site_moves(entry) -> None:
    def entry_id(site: str) -> str:
        return (
            ET.fromstring(render_feed([entry()], site, SERVER_LINKS))
            .find(f"{ATOM}entry/{ATOM}id")
            .text
        )

    assert entry_id("https://a.example") == entry_id("https://b.example/notes/")


def test_empty_feed_is_valid() -> None:
    feed = ET.fromstring(render_feed([], "https://reseau.example", SERVER_LINKS))

    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text == "1970-01-01T00:00:00Z"


def test_static_site_holds_every_file(three) -> None:
    files = static_site(three, "https://reseau.example/notes")

    per_pad = ["index.html", *(f"notes.{ext}" for ext in EXPORT_FORMATS)]
    expected = {"index.html", "feed.atom", "archive.css", "favicon.svg"} | {
        f"{e.document.id}/{name}" for e in three for name in per_pad
    }
    assert set(files) == expected
    assert files["archive.css"] == archive_stylesheet()
    assert files["favicon.svg"] == archive_icon()
    for e in three:
        for ext, export in EXPORT_FORMATS.items():
            assert files[f"{e.document.id}/notes.{ext}"] == export.render_bytes(e.document)
    feed = ET.fromstring(files["feed.atom"])
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link == "https://reseau.example/notes/pad-new/index.html"


def test_static_links_all_resolve_to_files_of_the_site(three, inventory) -> None:
    files = static_site(three)

    checked = 0
    for name, data in files.items():
        if not name.endswith("index.html"):
            continue
        for tag, attrs in inventory(data.decode()).elements:
            target = attrs.get("href") or attrs.get("src")
            if not target or urlsplit(target).scheme in ("http", "https"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved in files, (name, tag, target)
            checked += 1
    assert checked > 3 * (len(EXPORT_FORMATS) + 3)


def test_static_and_server_pages_differ_only_in_urls(entry) -> None:
    pad = entry()
    static = render_pad_page(pad, STATIC_PAD_LINKS)

    swaps = [
        ('"../archive.css"', '"/static/archive.css"'),
        ('"../favicon.svg"', '"/static/favicon.svg"'),
        ('"../feed.atom"', '"/archive/feed.atom"'),
        ('"../index.html"', '"/archive"'),
        *((f'"notes.{ext}"', f'"/api/pads/pad-42/export.{ext}"') for ext in EXPORT_FORMATS),
    ]
    for relative, absolute in swaps:
        assert relative in static
        static = static.replace(relative, absolute)
    served = render_pad_page(pad, SERVER_LINKS)
    switch = re.search(r'<nav class="lang-switch".*?</nav>\n', served, re.DOTALL)
    assert switch is not None and "lang-switch" not in static  # a static site is in one language
    assert static == served.replace(switch.group(0), "")


def test_the_servers_pages_switch_language_and_keep_it_from_page_to_page(entry) -> None:
    index = render_index([entry()], SERVER_LINKS, lang="en")
    assert '<a href="/archive" lang="fr" hreflang="fr">Français</a>' in index
    assert '<a href="/archive?lang=en" lang="en" hreflang="en" aria-current="page">' in index
    assert 'href="/archive/pad-42?lang=en"' in index
    page = render_pad_page(entry(), SERVER_LINKS, lang="fr")
    assert '<a href="/archive/pad-42?lang=en" lang="en" hreflang="en">English</a>' in page
    assert '<a href="/archive">Archives des webinaires</a>' in page


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "", ".hidden", "pad 1", "x" * 129])
def test_static_site_refuses_ids_that_are_not_folder_names(entry, bad_id) -> None:
    with pytest.raises(ValueError, match="cannot name a folder"):
        static_site([entry(bad_id)])


def test_dates_are_said_in_the_pads_zone_with_1er(entry) -> None:
    """The server's zone, not UTC nor a fixed one: a webinar at 23:30 UTC on 30 April is on
    1 May in Paris ("1er mai"), and still on 30 April in Montréal."""
    evening = datetime(2025, 4, 30, 23, 30, tzinfo=UTC)
    paris = render_pad_page(entry(starts_at=evening, ends_at=None), SERVER_LINKS)
    assert "jeudi 1er mai 2025 à 1 h 30" in paris
    montreal = entry(starts_at=evening, ends_at=None, timezone="America/Montreal")
    assert "mercredi 30 avril 2025 à 19 h 30" in render_pad_page(montreal, SERVER_LINKS)
    listed = render_index([entry(starts_at=evening, ends_at=None)], SERVER_LINKS)
    assert "1er mai 2025" in listed


@pytest.mark.parametrize("pad_id", ["_IwOHCCX5-4z", "-starts-with-a-dash", "x" * 128])
def test_static_site_takes_every_id_the_server_makes(entry, pad_id) -> None:
    """Pad ids are URL-safe base64 (`secrets.token_urlsafe`): one in 32 begins with `-` or `_`,
    and publishing it must not fail (it did, at random, in the archive's test)."""
    names = [name for name, _ in static_site_files([entry(pad_id)])]
    assert f"{pad_id}/index.html" in names


def test_static_site_refuses_a_pad_twice_before_rendering_anything(entry) -> None:
    files = static_site_files([entry("pad-1"), entry("pad-2", 1), entry("pad-1", 2)])

    with pytest.raises(ValueError, match="cannot name a folder"):
        next(files)


def test_static_site_files_come_one_by_one_in_a_known_number(three) -> None:
    names = [name for name, _ in static_site_files(three)]

    assert names[:4] == ["index.html", "feed.atom", "archive.css", "favicon.svg"]
    assert names[4] == "pad-old/index.html"
    assert len(names) == 4 + len(three) * (1 + len(EXPORT_FORMATS))


def write(files: dict[str, bytes], root: Path) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


async def test_static_site_works_from_the_file_system_and_stays_inert(
    entry, tmp_path: Path
) -> None:
    """Every page of a site of hostile pads, opened from disk in Chromium at phone width: the
    style sheet applies under the page's own policy, nothing runs, nothing leaves."""
    pads = [
        entry(f"pad-{n}", n, title=case["markdown"], text=case["markdown"])
        for n, case in enumerate(CORPUS)
    ]
    pads.append(entry("pad-notes", len(CORPUS)))
    write(static_site(pads), tmp_path)
    pages = [tmp_path / "index.html", *(tmp_path / e.document.id / "index.html" for e in pads)]
    watch = Watch("file://")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        await watch.attach(page)
        probes = {}
        for path in pages:
            await page.goto(path.as_uri(), wait_until="load")
            probes[path] = await page.evaluate(DOM_PROBE)
            probes[path]["layout"] = await page.evaluate(
                "[getComputedStyle(document.body).maxWidth,"
                " document.documentElement.scrollWidth <= innerWidth]"
            )
        await browser.close()

    for path, probe in probes.items():
        assert set(probe.pop("targets")) <= {"http:", "https:", "file:"}, path
        assert probe == {
            "scripts": 0,
            "handlers": [],
            "styled": 0,
            "embedded": 0 if path.parent == tmp_path else 1,
            "pwned": "undefined",
            "layout": ["736px", True],
        }, path
    assert watch.dialogs == []
    assert watch.foreign == []
    assert watch.console == []
