"""The single-file exports of a pad: Markdown, plain text, HTML page, JSON, Yjs binary.

The HTML page is self-contained and inert twice over: its body is `render_tokens`'s sanitised
fragment, and its Content-Security-Policy allows nothing but its own style sheet (by hash), so
even a sanitiser slip could neither run a script nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from exports.document import PadDocument
from exports.human_time import format_schedule
from exports.links import cited_links
from exports.markdown_html import render_tokens
from exports.plain_text import tokens_to_text

PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:2rem auto;"
    "padding:0 1rem;color:#222}"
    "pre{overflow:auto;background:#f4f4f4;padding:.5rem}"
    "blockquote{margin-left:0;padding-left:1rem;border-left:3px solid #ccc;color:#444}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.25rem .5rem}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(PAGE_STYLE.encode()).digest()).decode()
PAGE_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'"
)


def to_markdown(doc: PadDocument) -> str:
    """The text exactly as typed."""
    return doc.content


def to_text(doc: PadDocument) -> str:
    """The Markdown stripped to readable plain text (see `plain_text`)."""
    return tokens_to_text(doc.markdown, doc.content)


def to_html(doc: PadDocument) -> str:
    """A complete page, French first like the pads themselves (`lang="fr"`)."""
    title = escape(doc.title or doc.id)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">\n'
        f"<title>{title}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{title}</h1>\n{_schedule(doc)}</header>\n"
        f"<main>\n{render_tokens(doc.markdown, doc.content)}</main>\n</body>\n</html>\n"
    )


def _schedule(doc: PadDocument) -> str:
    """When the webinar was, in the server's zone and in French as the page is ("mercredi 2
    décembre 2026 de 8 h 08 à 9 h 30"), its start in machine form beside."""
    moment = doc.starts_at or doc.ends_at
    if moment is None:
        return ""
    said = format_schedule(doc.starts_at, doc.ends_at, "fr", doc.timezone)
    return f'<p><time datetime="{moment.isoformat()}">{escape(said)}</time></p>\n'


def to_json(doc: PadDocument) -> str:
    """Every field of the pad plus its links index; dates in ISO-8601, `null` when unset."""
    record = {
        "id": doc.id,
        "title": doc.title,
        "starts_at": doc.starts_at.isoformat() if doc.starts_at else None,
        "ends_at": doc.ends_at.isoformat() if doc.ends_at else None,
        "state": doc.state,
        "content": doc.content,
        "links": [link.as_dict() for link in cited_links(doc.content)],
        "purge_counts": doc.purge_counts,
    }
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def to_yjs(doc: PadDocument) -> bytes:
    """The Yjs v1 update of the whole document: `Y.applyUpdate` rebuilds it anywhere."""
    return doc.yjs_update


@dataclass(frozen=True)
class ExportFormat:
    """One downloadable format: what `GET /api/pads/{id}/export.{extension}` serves."""

    extension: str
    media_type: str
    render: Callable[[PadDocument], str | bytes]

    def render_bytes(self, doc: PadDocument) -> bytes:
        """The file's bytes; text formats are UTF-8."""
        rendered = self.render(doc)
        return rendered.encode() if isinstance(rendered, str) else rendered


FORMATS: dict[str, ExportFormat] = {
    export.extension: export
    for export in (
        ExportFormat("md", "text/markdown; charset=utf-8", to_markdown),
        ExportFormat("txt", "text/plain; charset=utf-8", to_text),
        ExportFormat("html", "text/html; charset=utf-8", to_html),
        ExportFormat("json", "application/json", to_json),
        ExportFormat("yjs", "application/octet-stream", to_yjs),
    )
}
