"""Pads for the export tests, built the way the server holds them: a real pycrdt document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from pycrdt import Doc, Map, Text

from exports import PadDocument, document_from_ydoc

NOTES = """\
# Webinaire : la mobilité à Clermont

Intervenants : la métropole et **Les Décarbonautes** (www.lesdecarbonautes.fr).

## Liens

- Budget participatif : clermontparticipatif.fr
- [Le guide](https://exemple.org/guide?utm_source=lettre&page=2)
- Replay : <https://video.exemple.org/replay>

| Thème | Votes |
|-------|------:|
| Vélo  | 12    |

> Prochaine séance en mars.
"""

MetaFactory = Callable[..., PadDocument]


def typed_doc(text: str) -> Doc:
    """A document whose `content` was typed in several edits, as attendees would."""
    doc = Doc()
    content = doc.get("content", type=Text)
    half = len(text) // 2
    content += text[half:]
    content.insert(0, text[:half])
    return doc


@pytest.fixture
def make_pad() -> MetaFactory:
    def make(text: str = NOTES, doc: Doc | None = None, **meta: Any) -> PadDocument:
        fields: dict[str, Any] = {
            "id": "pad-42",
            "title": "Mobilité à Clermont",
            "starts_at": datetime(2025, 3, 12, 14, 0, tzinfo=UTC),
            "ends_at": datetime(2025, 3, 12, 15, 30, tzinfo=UTC),
            "state": "published",
            "purge_counts": {"email": 3, "phone": 1},
        }
        fields.update(meta)
        return document_from_ydoc(doc or typed_doc(text), **fields)

    return make


@pytest.fixture
def doc_with_extras() -> Doc:
    """A pad whose client also keeps a Map beside the Text, which the Yjs export must carry."""
    doc = typed_doc(NOTES)
    doc["comments"] = Map({"c1": "À relire"})
    return doc


class Inventory(HTMLParser):
    """Every element, attribute and comment a browser's tokenizer would see in some HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.others: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data: str) -> None:
        self.others.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.others.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.others.append(data)

    def handle_pi(self, data: str) -> None:
        self.others.append(data)


@pytest.fixture
def inventory() -> Callable[[str], Inventory]:
    return Inventory


@pytest.fixture
def notes() -> str:
    """The Markdown that `make_pad` types by default."""
    return NOTES
