"""The models of server/models.py: refusals with the codes, messages and precedence the
hand-written checks gave; times in the server's zone; responses serialised as before; and the
running app's answers valid against the schemas the document serves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import jsonschema_rs
import pytest
from pydantic import BaseModel

from server import models
from server.access import Role, new_keys
from server.api import ModelResponse, pad_metadata
from server.errors import SkridError
from server.settings import Settings
from server.store import PadRecord

SETTINGS = Settings()
REQUIRED = "title is required and must be a non-empty string"
MINUTES = "purge_after_minutes must be a whole number from 0 to 43200"
ORDER = "ends_at must be after starts_at"
RANGE = "must lie between 1970 and 9998 (UTC)"


def refused(body: dict[str, Any], settings: Settings = SETTINGS) -> tuple[str, str]:
    with pytest.raises(SkridError) as refusal:
        models.new_pad(body, settings)
    return refusal.value.code, refusal.value.message


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({}, "invalid_fields", REQUIRED),
        ({"title": None}, "invalid_fields", REQUIRED),
        ({"title": 3}, "invalid_fields", REQUIRED),
        ({"title": " \t\n"}, "invalid_fields", REQUIRED),
        ({"title": "x" * 201}, "invalid_fields", "title is limited to 200 characters"),
        (
            {"title": "a\ud800"},
            "invalid_text",
            "title is not valid Unicode text (a lone surrogate)",
        ),
        ({"title": "a\x00"}, "invalid_text", "title may not hold control characters (U+0000)"),
        (
            {"title": "a\u202eb"},
            "invalid_text",
            "title may not hold bidirectional control characters (U+202E)",
        ),
        ({"title": "x", "starts_at": 5}, "invalid_fields", "starts_at must be an ISO-8601 string"),
        (
            {"title": "x", "ends_at": "demain"},
            "invalid_fields",
            "ends_at is not an ISO-8601 date and time",
        ),
        (
            {"title": "x", "starts_at": "1969-12-31T23:59:59Z"},
            "time_out_of_range",
            f"starts_at {RANGE}",
        ),
        (
            {"title": "x", "ends_at": "0001-01-01T00:00:00+14:00"},
            "time_out_of_range",
            f"ends_at {RANGE}",
        ),
        (
            {"title": "x", "starts_at": "2026-12-03T18:00", "ends_at": "2026-12-03T18:00"},
            "invalid_fields",
            ORDER,
        ),
        ({"title": "x", "purge_after_minutes": None}, "invalid_fields", MINUTES),
        ({"title": "x", "purge_after_minutes": True}, "invalid_fields", MINUTES),
        ({"title": "x", "purge_after_minutes": 5.0}, "invalid_fields", MINUTES),
        ({"title": "x", "purge_after_minutes": 43201}, "invalid_fields", MINUTES),
        ({"title": "x", "purge_after_minutes": 10**30}, "invalid_fields", MINUTES),
        (
            {"title": "x", "b": 1, "a": 2, "\ud800": 3},
            "invalid_fields",
            "unknown fields: a, b, 1 more",
        ),
    ],
)
def test_each_fault_keeps_its_code_and_message(
    body: dict[str, Any], code: str, message: str
) -> None:
    assert refused(body) == (code, message)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            {"purge_after_minutes": -1, "colour": 1, "title": 3},
            "invalid_fields",
            "unknown fields: colour",
        ),
        ({"purge_after_minutes": -1}, "invalid_fields", REQUIRED),
        (
            {"purge_after_minutes": -1, "title": "a\x00"},
            "invalid_text",
            "title may not hold control characters (U+0000)",
        ),
        ({"starts_at": "1900-01-01T00:00:00Z", "title": 3}, "invalid_fields", REQUIRED),
        ({"title": " " * 300}, "invalid_fields", REQUIRED),
        ({"title": "x" * 300 + "\x00"}, "invalid_fields", "title is limited to 200 characters"),
        (
            {"title": "a\x00\ud800"},
            "invalid_text",
            "title may not hold control characters (U+0000)",
        ),
        (
            {"ends_at": "demain", "starts_at": "1900-01-01T00:00:00Z", "title": "x"},
            "time_out_of_range",
            f"starts_at {RANGE}",
        ),
        (
            {
                "purge_after_minutes": -1,
                "ends_at": "2026-12-03T17:00",
                "starts_at": "2026-12-03T18:00",
                "title": "x",
            },
            "invalid_fields",
            ORDER,
        ),
    ],
)
def test_the_first_fault_in_field_order_wins(body: dict[str, Any], code: str, message: str) -> None:
    """Whatever the body's order: unknown fields, then the title, the times, the minutes, as the
    hand-written checks went."""
    assert refused(body) == (code, message)


def test_the_title_limit_is_the_setting() -> None:
    assert refused({"title": "x" * 11}, Settings(max_title_chars=10))[1] == (
        "title is limited to 10 characters"
    )
    assert models.new_pad({"title": "x" * 11}, SETTINGS).title == "x" * 11


def test_fields_as_the_pad_stores_them() -> None:
    """The title without its outer spaces (bidirectional marks kept), times in UTC, a time
    without an offset read in the server's zone, the purge delay's default."""
    paris = Settings(timezone="Europe/Paris")
    body = models.new_pad(
        {"title": "  Atelier \u200f ", "starts_at": "2026-12-03T18:00", "ends_at": None}, paris
    )
    assert body.title == "Atelier \u200f"
    assert body.starts_at == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    assert body.ends_at is None
    assert body.purge_after_minutes == models.DEFAULT_PURGE_AFTER_MINUTES
    edge = models.new_pad({"title": "x", "ends_at": "9998-12-31T09:59:59-14:00"}, SETTINGS)
    assert edge.ends_at == datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_metadata_is_serialised_as_before() -> None:
    """Compact JSON, times as `isoformat` (`+00:00`), text as UTF-8, `links` absent rather than
    null without the host key."""
    pad = PadRecord(
        id="p1",
        title="Réunion",
        created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        starts_at=None,
        ends_at=datetime(2026, 12, 3, 18, 30, tzinfo=UTC),
        purge_after_minutes=90,
        state="live",
        keys=new_keys().hashes(),
        purge_counts={"email": 2},
    )
    body = bytes(ModelResponse(pad_metadata(pad, Role.VIEW, SETTINGS)).body)
    assert body.startswith(
        b'{"id":"p1","title":"R\xc3\xa9union","created_at":"2026-11-20T09:30:00+00:00"'
    )
    assert b'"starts_at":null' in body
    assert b'"next":{"action":"close","at":"2026-12-03T18:30:00+00:00"}' in body
    assert b'"purge_counts":{"email":2}' in body
    assert b"links" not in body


def validator(document: dict[str, Any], name: str) -> Any:
    """A validator of the component `name`, its references resolved in `document`."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


def conforms(document: dict[str, Any], name: str, response: httpx.Response) -> None:
    """The answer fits its schema in the served document, and its model reads it back and
    writes the same bytes (export.json aside: exports/ writes it indented)."""
    validator(document, name).validate(response.json())
    model: type[BaseModel] = getattr(models, name)
    parsed = model.model_validate_json(response.content)
    if name != "ExportJson":
        assert parsed.model_dump_json().encode() == response.content


async def test_live_answers_fit_their_schemas(app_client: httpx.AsyncClient) -> None:
    client = app_client
    document = (await client.get("/api/openapi.json")).json()
    health = await client.get("/healthz")
    conforms(document, "Health", health)
    created = await client.post(
        "/api/pads", json={"title": "Atelier", "ends_at": "2099-01-01T10:00"}
    )
    assert created.status_code == 201
    conforms(document, "NewPad", created)
    pad = created.json()
    for role in ("host", "view"):
        meta = await client.get(f"/api/pads/{pad['id']}", params={"k": pad[f"{role}_key"]})
        conforms(document, "Pad", meta)
        assert ("links" in meta.json()) is (role == "host")
    host = {"Authorization": f"Bearer {pad['host_key']}"}
    for action in ("close", "purge"):
        moved = await client.post(f"/api/pads/{pad['id']}/{action}", headers=host)
        assert moved.status_code in {200, 202}
        conforms(document, "Pad", moved)
    exported = await client.get(f"/api/pads/{pad['id']}/export.json", headers=host)
    assert exported.status_code == 200
    conforms(document, "ExportJson", exported)
    refusals = [
        await client.post("/api/pads", json={"title": "a\x00"}),
        await client.get(f"/api/pads/{pad['id']}"),
        await client.get("/api/nothing-here"),
        await client.patch("/api/pads"),
    ]
    assert [refusal.status_code for refusal in refusals] == [422, 401, 404, 405]
    for refusal in refusals:
        conforms(document, "Error", refusal)
    with pytest.raises(jsonschema_rs.ValidationError):
        validator(document, "Pad").validate({**meta.json(), "undocumented": 1})
