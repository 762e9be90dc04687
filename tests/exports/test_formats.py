import json
from datetime import datetime

import y_py
from pycrdt import Doc, Map, Text

from exports import (
    EXPORT_FORMATS,
    cited_links,
    render_markdown,
    to_html,
    to_json,
    to_markdown,
    to_text,
    to_yjs,
    to_zip,
)
from exports.formats import PAGE_POLICY


def test_markdown_is_the_text_as_typed(make_pad, notes) -> None:
    assert to_markdown(make_pad()) == notes


def test_json_holds_every_field(make_pad, notes) -> None:
    pad = make_pad()

    record = json.loads(to_json(pad))

    assert record == {
        "id": "pad-42",
        "title": "Mobilité à Clermont",
        "starts_at": "2025-03-12T14:00:00+00:00",
        "ends_at": "2025-03-12T15:30:00+00:00",
        "state": "published",
        "content": notes,
        "links": [link.as_dict() for link in cited_links(notes)],
        "purge_counts": {"email": 3, "phone": 1},
    }
    assert datetime.fromisoformat(record["starts_at"]) == pad.starts_at
    assert len(record["links"]) == 4


def test_json_of_an_unscheduled_pad_has_null_dates(make_pad) -> None:
    record = json.loads(to_json(make_pad("", starts_at=None, ends_at=None, purge_counts={})))

    assert (record["starts_at"], record["ends_at"], record["links"]) == (None, None, [])


def test_yjs_loads_in_pycrdt_and_y_py_to_the_same_text(make_pad, doc_with_extras, notes) -> None:
    update = to_yjs(make_pad(doc=doc_with_extras))

    fresh = Doc()
    fresh.apply_update(update)
    assert str(fresh.get("content", type=Text)) == notes
    assert fresh.get("comments", type=Map).to_py() == {"c1": "À relire"}

    other = y_py.YDoc()
    y_py.apply_update(other, update)
    assert str(other.get_text("content")) == notes


def test_html_page_wraps_the_sanitised_fragment(make_pad, inventory, notes) -> None:
    page = to_html(make_pad())

    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert f"<main>\n{render_markdown(notes)}</main>" in page
    elements = inventory(page).elements
    assert ("title", {}) in elements
    assert ("meta", {"http-equiv": "Content-Security-Policy", "content": PAGE_POLICY}) in elements
    times = [attrs["datetime"] for tag, attrs in elements if tag == "time"]
    assert times == ["2025-03-12T14:00:00+00:00"]
    # In the server's zone (Paris by default: 14:00 UTC is 15 h 00), never in UTC.
    assert ">mercredi 12 mars 2025 de 15 h 00 à 16 h 30</time>" in page
    assert "UTC" not in page
    assert "<title>Mobilité à Clermont</title>" in page


def test_html_page_says_the_schedule_in_the_pads_zone(make_pad) -> None:
    page = to_html(make_pad(timezone="America/Montreal"))
    assert ">mercredi 12 mars 2025 de 10 h 00 à 11 h 30</time>" in page


def test_html_page_escapes_the_title_and_falls_back_to_the_id(make_pad, inventory) -> None:
    hostile = to_html(make_pad(title='<script>alert("t")</script>'))
    untitled = to_html(make_pad(title="", starts_at=None, ends_at=None))

    assert "script" not in {tag for tag, _ in inventory(hostile).elements}
    assert "&lt;script&gt;" in hostile
    assert "<title>pad-42</title>" in untitled
    assert "<time" not in untitled


def test_every_format_is_registered_with_its_media_type(make_pad) -> None:
    pad = make_pad()

    assert sorted(EXPORT_FORMATS) == ["html", "json", "md", "txt", "yjs", "zip"]
    assert EXPORT_FORMATS["md"].render_bytes(pad) == to_markdown(pad).encode()
    assert EXPORT_FORMATS["txt"].render_bytes(pad) == to_text(pad).encode()
    assert EXPORT_FORMATS["yjs"].render_bytes(pad) == pad.yjs_update
    assert EXPORT_FORMATS["zip"].render_bytes(pad) == to_zip(pad)
    assert EXPORT_FORMATS["json"].media_type == "application/json"
    assert EXPORT_FORMATS["html"].media_type == "text/html; charset=utf-8"
    assert EXPORT_FORMATS["zip"].media_type == "application/zip"
