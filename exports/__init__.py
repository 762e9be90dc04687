"""Pure renderers of a pad: data in, data out, no I/O, nothing imported from `server`.

`document_from_ydoc` snapshots a pycrdt document into a `PadDocument`; each `to_*` function
renders one format from it; `EXPORT_FORMATS` maps each download extension to its renderer and
media type; `render_markdown` gives the sanitised HTML fragment the archive pages embed;
`cited_links` is the links index. `import_note` reads notes from other tools; `archive.site`
renders the public archive (pages, feed, static site) and `activity_svg` its activity picture.
"""

from exports.archive.activity import activity_svg
from exports.archive.site import (
    SERVER_LINKS,
    STATIC_INDEX_LINKS,
    STATIC_PAD_LINKS,
    ArchiveEntry,
    Links,
    archive_stylesheet,
    render_feed,
    render_index,
    render_pad_page,
    static_site,
)
from exports.bundle import EXPORT_FORMATS, to_zip
from exports.document import PadDocument, document_from_ydoc
from exports.formats import ExportFormat, to_html, to_json, to_markdown, to_text, to_yjs
from exports.importers import MAX_IMPORT_BYTES, ImportedNote, ImportRefused, import_note
from exports.links import CitedLink, cited_links
from exports.markdown_html import render_markdown

__all__ = [
    "EXPORT_FORMATS",
    "MAX_IMPORT_BYTES",
    "SERVER_LINKS",
    "STATIC_INDEX_LINKS",
    "STATIC_PAD_LINKS",
    "ArchiveEntry",
    "CitedLink",
    "ExportFormat",
    "ImportRefused",
    "ImportedNote",
    "Links",
    "PadDocument",
    "activity_svg",
    "archive_stylesheet",
    "cited_links",
    "document_from_ydoc",
    "import_note",
    "render_feed",
    "render_index",
    "render_markdown",
    "render_pad_page",
    "static_site",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
    "to_yjs",
    "to_zip",
]
