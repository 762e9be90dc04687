"""Pure renderers of a pad: data in, data out, no I/O, nothing imported from `server`.

`document_from_ydoc` snapshots a pycrdt document into a `PadDocument`; each `to_*` function
renders one format from it; `EXPORT_FORMATS` maps each download extension to its renderer and
media type; `render_markdown` gives the sanitised HTML fragment the archive pages embed;
`cited_links` is the links index.
"""

from exports.bundle import EXPORT_FORMATS, to_zip
from exports.document import PadDocument, document_from_ydoc
from exports.formats import ExportFormat, to_html, to_json, to_markdown, to_text, to_yjs
from exports.links import CitedLink, cited_links
from exports.markdown_html import render_markdown

__all__ = [
    "EXPORT_FORMATS",
    "CitedLink",
    "ExportFormat",
    "PadDocument",
    "cited_links",
    "document_from_ydoc",
    "render_markdown",
    "to_html",
    "to_json",
    "to_markdown",
    "to_text",
    "to_yjs",
    "to_zip",
]
