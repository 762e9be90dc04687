"""The public archive as pure renderers: the list of published pads, a page per pad, the Atom
feed, and the whole static site of `skrid publish`.

One renderer serves the live server and the static site: the only difference is where links
point, which a `Links` object says (`SERVER_LINKS`; `STATIC_INDEX_LINKS` and `STATIC_PAD_LINKS`
for pages at the site's root and one folder down). Static links are relative, so the site works
from any folder, a web server or the file system alike.

Pages are inert whatever the notes hold: notes go through `render_markdown`, every other value
through Jinja2's escaping; there is no JavaScript and no inline style (the server's
Content-Security-Policy says `style-src 'self'`), and each page repeats a strict policy in a
`<meta>` for the static copy. Dates show in each pad's zone (the server's `timezone`), in the
style of `exports.human_time`; a naive datetime is taken as UTC.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any, cast
from urllib.parse import quote, urljoin

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from exports.archive.activity import activity_svg
from exports.archive.text import LANGUAGE_NAMES, counted, texts
from exports.bundle import EXPORT_FORMATS, STEM
from exports.document import PadDocument
from exports.human_time import LANGUAGES, Language, format_date, format_schedule, local
from exports.links import cited_links
from exports.markdown_html import render_markdown
from exports.plain_text import markdown_to_text

SUMMARY_CHARS = 280
_LINE_MARKS = re.compile(r"^\s*(?:(?:[-*+>]|\d+[.)])\s+)+")
"""List and quote marks at the start of a line of plain text."""
"""Length of an Atom entry's summary, cut at a word."""
SUMMARY_SOURCE_CHARS = 1500
"""How much of the notes the summary is made from: their start is enough, and cheap."""
MAX_FEED_ENTRIES = 50
"""Entries in the feed: readers only look for what is new."""
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
)
STYLESHEET = "archive.css"
ICON = "favicon.svg"
ATOM = "http://www.w3.org/2005/Atom"
FEED_NAMESPACE = uuid.UUID("6f1d3c52-7a4e-5b8e-9c1d-2a6b5e0f4c31")
"""Root of the feed's `urn:uuid:` ids: a pad keeps its entry id wherever the archive moves."""
SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
"""Pad ids the static site accepts as folder names: every id the server makes (URL-safe base64,
which may begin with `-` or `_`), and no path (no dot, no slash)."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry at all, not even escaped: the feed drops them."""


@dataclass(frozen=True)
class ArchiveEntry:
    """A published pad and the counts recorded while it was live (never who did what)."""

    document: PadDocument
    published_at: datetime
    edits_per_minute: list[int]
    contributors: int


@dataclass(frozen=True)
class Links:
    """Where the archive's links point, seen from the page being rendered.

    `pad_page` and `download_file` are patterns with `{id}` (and `{ext}`).
    """

    index: str
    feed: str
    stylesheet: str
    icon: str
    pad_page: str
    download_file: str
    languages: bool = False
    """Whether the pages offer the other language (the live server's, by `?lang=`); a static
    site is written in one language."""

    def in_language(self, lang: str) -> Links:
        """These links for pages in `lang`: French is the default, another says `?lang=`."""
        if not self.languages or lang == LANGUAGES[0]:
            return self
        return replace(
            self, index=f"{self.index}?lang={lang}", pad_page=f"{self.pad_page}?lang={lang}"
        )

    def pad(self, pad_id: str) -> str:
        return self.pad_page.format(id=quote(pad_id, safe=""))

    def download(self, pad_id: str, extension: str) -> str:
        return self.download_file.format(id=quote(pad_id, safe=""), ext=extension)


SERVER_LINKS = Links(
    index="/archive",
    feed="/archive/feed.atom",
    stylesheet=f"/static/{STYLESHEET}",
    icon=f"/static/{ICON}",
    pad_page="/archive/{id}",
    download_file="/api/pads/{id}/export.{ext}",
    languages=True,
)
STATIC_INDEX_LINKS = Links(
    index="index.html",
    feed="feed.atom",
    stylesheet=STYLESHEET,
    icon=ICON,
    pad_page="{id}/index.html",
    download_file="{id}/" + STEM + ".{ext}",
)
STATIC_PAD_LINKS = Links(
    index="../index.html",
    feed="../feed.atom",
    stylesheet=f"../{STYLESHEET}",
    icon=f"../{ICON}",
    pad_page="../{id}/index.html",
    download_file=STEM + ".{ext}",
)

_TEMPLATES = Environment(
    loader=PackageLoader("exports", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def archive_stylesheet() -> bytes:
    """The archive's style sheet, which the server serves as `/static/archive.css`."""
    return _asset(STYLESHEET)


def archive_icon() -> bytes:
    """Skrid's icon, for the archive and every page of the server (`/static/favicon.svg`)."""
    return _asset(ICON)


def _asset(name: str) -> bytes:
    return resources.files("exports").joinpath("static", name).read_bytes()


def render_index(entries: list[ArchiveEntry], links: Links, lang: str = "fr") -> str:
    """The list of published pads, newest first: title, date of the webinar, links cited."""
    switch = _switch(links, lambda other: other.index)
    links = links.in_language(lang)
    rows = [
        {
            "title": _title(entry.document),
            "url": links.pad(entry.document.id),
            "date": _date(lang, _shown_moment(entry), entry.document.timezone),
            "iso": _shown_moment(entry).isoformat(),
            "links": counted(lang, "link", len(cited_links(entry.document.content))),
        }
        for entry in _newest_first(entries)
    ]
    return _render("index.html", lang, links, switch, entries=rows)


def render_pad_page(entry: ArchiveEntry, links: Links, lang: str = "fr") -> str:
    """One published pad: its notes, the links it cites, its activity, what the purge removed
    and every download."""
    doc = entry.document
    words = texts(lang)
    switch = _switch(links, lambda other: other.pad(doc.id))
    links = links.in_language(lang)
    pad = {
        "title": _title(doc),
        "schedule": format_schedule(doc.starts_at, doc.ends_at, _language(lang), doc.timezone),
        "published": words["published"].format(date=_date(lang, entry.published_at, doc.timezone)),
        "notes": Markup(render_markdown(doc.content)),
        "links": [
            {
                "url": link.url,
                "context": _plain_line(link.context),
                "where": words["line"].format(line=link.line),
            }
            for link in cited_links(doc.content)
        ],
        "activity": Markup(activity_svg(entry.edits_per_minute, entry.contributors, lang=lang)),
        "removed": _removed(lang, doc.purge_counts),
        "downloads": [
            {
                "url": links.download(doc.id, extension),
                "label": words["formats"].get(extension, extension),
                "extension": extension,
            }
            for extension in EXPORT_FORMATS
        ],
    }
    return _render("pad.html", lang, links, switch, pad=pad)


def render_feed(
    entries: list[ArchiveEntry],
    site_url: str,
    links: Links,
    lang: str = "fr",
    *,
    max_entries: int = MAX_FEED_ENTRIES,
) -> str:
    """An Atom feed of the `max_entries` most recently published pads, newest first.

    Links are `site_url` joined with `links`; with an empty `site_url` they stay relative to
    the feed, which Atom allows. Entry ids are `urn:uuid:`s made from the pad id alone. An
    entry has a plain-text summary, not the whole notes: the page is a click away, and
    rendering every pad's notes on each request of the feed would cost seconds.
    """
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    ordered = _newest_first(entries)[:max_entries]
    newest = _utc(ordered[0].published_at) if ordered else datetime(1970, 1, 1, tzinfo=UTC)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _child(feed, "id", _urn(base or "skrid-archive"))
    _child(feed, "title", texts(lang)["archive_title"])
    _child(feed, "updated", _atom_time(newest))
    _child(_child(feed, "author"), "name", texts(lang)["archive_title"])
    _link(feed, urljoin(base, links.feed), "self")
    _link(feed, urljoin(base, links.index), "alternate")
    for entry in ordered:
        doc = entry.document
        item = _child(feed, "entry")
        _child(item, "id", _urn(f"pad:{doc.id}"))
        _child(item, "title", _title(doc))
        _child(item, "updated", _atom_time(_utc(entry.published_at)))
        _child(item, "published", _atom_time(_utc(entry.published_at)))
        _link(item, urljoin(base, links.pad(doc.id)), "alternate")
        _child(item, "summary", _summary(doc.content))
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def static_site(
    entries: list[ArchiveEntry], site_url: str = "", lang: str = "fr"
) -> dict[str, bytes]:
    """Every file of the static archive by its path (see `static_site_files`)."""
    return dict(static_site_files(entries, site_url, lang))


def static_site_file_count(entries: list[ArchiveEntry]) -> int:
    """How many files `static_site_files` yields, for a progress bar."""
    return 4 + len(entries) * (1 + len(EXPORT_FORMATS))


def static_site_files(
    entries: list[ArchiveEntry], site_url: str = "", lang: str = "fr"
) -> Iterator[tuple[str, bytes]]:
    """Each file of the static archive as it is rendered, so that `skrid publish` can show
    progress: `index.html`, `feed.atom`, `archive.css`, `favicon.svg`, then per pad
    `{id}/index.html` and `{id}/notes.{ext}` for every export format;
    `4 + len(entries) * (1 + len(EXPORT_FORMATS))` files in all.

    Raises ValueError, before yielding anything, for a pad id that is not a plain folder name
    or that comes twice.
    """
    seen: set[str] = set()
    for pad_id in (entry.document.id for entry in entries):
        if not SAFE_ID.fullmatch(pad_id) or pad_id in seen:
            raise ValueError(f"pad id {pad_id!r} cannot name a folder of the static site")
        seen.add(pad_id)
    yield "index.html", render_index(entries, STATIC_INDEX_LINKS, lang).encode()
    yield "feed.atom", render_feed(entries, site_url, STATIC_INDEX_LINKS, lang).encode()
    yield STYLESHEET, archive_stylesheet()
    yield ICON, archive_icon()
    for entry in entries:
        doc = entry.document
        yield f"{doc.id}/index.html", render_pad_page(entry, STATIC_PAD_LINKS, lang).encode()
        for extension, export in EXPORT_FORMATS.items():
            yield f"{doc.id}/{STEM}.{extension}", export.render_bytes(doc)


def _render(
    template: str, lang: str, links: Links, switch: dict[str, str] | None = None, **values: Any
) -> str:
    return _TEMPLATES.get_template(template).render(
        lang=lang,
        words=texts(lang),
        links=links,
        policy=PAGE_POLICY,
        switch=switch,
        language_names=LANGUAGE_NAMES,
        **values,
    )


def _switch(links: Links, page: Callable[[Links], str]) -> dict[str, str] | None:
    """The same page in each language, where the pages offer a choice."""
    if not links.languages:
        return None
    return {lang: page(links.in_language(lang)) for lang in LANGUAGES}


def _title(doc: PadDocument) -> str:
    return doc.title.strip() or doc.id


def _newest_first(entries: list[ArchiveEntry]) -> list[ArchiveEntry]:
    return sorted(entries, key=lambda e: (_utc(e.published_at), e.document.id), reverse=True)


def _shown_moment(entry: ArchiveEntry) -> datetime:
    """The webinar's start when known (what readers look for), else its publication."""
    return entry.document.starts_at or entry.published_at


def _utc(moment: datetime) -> datetime:
    return local(moment, UTC)


def _date(lang: str, moment: datetime, timezone: str) -> str:
    return format_date(moment, _language(lang), timezone, weekday=False)


def _language(lang: str) -> Language:
    texts(lang)  # refuses an unknown language
    return cast(Language, lang)


def _removed(lang: str, purge_counts: dict[str, int]) -> list[str]:
    """What the purge removed, in words, each kind with a count above zero; `email` and `phone`
    have their own wording, any other kind is named as recorded."""
    return [
        counted(lang, kind if kind in ("email", "phone") else "other", count, kind=kind)
        for kind, count in sorted(purge_counts.items())
        if count > 0
    ]


def _summary(content: str) -> str:
    """The notes as plain text on one line (`_plain_line`), cut at a word."""
    head = content[:SUMMARY_SOURCE_CHARS].rpartition("\n")[0] or content[:SUMMARY_SOURCE_CHARS]
    text = _plain_line(head)
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def _plain_line(markdown: str) -> str:
    """Markdown as plain text on one line: no underlines of titles and rules, no list or quote
    marks, no link syntax (a link's text is followed by its address)."""
    lines = [
        _LINE_MARKS.sub("", line)
        for line in markdown_to_text(markdown).splitlines()
        if line.strip(" =-")
    ]
    return " ".join(" ".join(lines).split())


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, name)}"


def _atom_time(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _child(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: ET.Element, href: str, rel: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "href": _NOT_XML.sub("", href)})
