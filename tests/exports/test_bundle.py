import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

from pycrdt import Doc, Text

from exports import to_html, to_json, to_markdown, to_text, to_yjs, to_zip
from exports.bundle import README_NAME

MEMBERS = [README_NAME, "notes.md", "notes.txt", "notes.html", "notes.json", "notes.yjs"]


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_holds_every_format(make_pad) -> None:
    pad = make_pad()

    files = members(to_zip(pad))

    assert list(files) == MEMBERS
    assert files["notes.md"].decode() == to_markdown(pad)
    assert files["notes.txt"].decode() == to_text(pad)
    assert files["notes.html"].decode() == to_html(pad)
    assert files["notes.json"].decode() == to_json(pad)
    assert files["notes.yjs"] == to_yjs(pad)
    fresh = Doc()
    fresh.apply_update(files["notes.yjs"])
    assert str(fresh.get("content", type=Text)) == pad.content


def test_readme_is_bilingual_and_names_every_file(make_pad) -> None:
    readme = members(to_zip(make_pad()))[README_NAME].decode()

    assert readme.startswith(
        "Mobilité à Clermont\n"
        "mercredi 12 mars 2025 de 15 h 00 à 16 h 30\n"
        "Wednesday 12 March 2025 from 15:00 to 16:30\n"
    )
    assert "Notes du webinaire" in readme
    assert "Webinar notes" in readme
    for name in MEMBERS[1:]:
        assert readme.count(name) == 2


def test_same_pad_same_bytes(make_pad) -> None:
    pad = make_pad()

    assert to_zip(pad) == to_zip(replace(pad, purge_counts=dict(pad.purge_counts)))


def test_members_are_dated_by_the_meeting(make_pad) -> None:
    with zipfile.ZipFile(io.BytesIO(to_zip(make_pad()))) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        modes = {info.external_attr >> 16 for info in archive.infolist()}

    # The meeting's end, 15:30 UTC, on the pad's wall clock (Paris): a ZIP's times have no zone.
    assert stamps == {(2025, 3, 12, 16, 30, 0)}
    assert modes == {0o100644}


def test_undated_pad_uses_the_zip_epoch(make_pad) -> None:
    for start in (None, datetime(1970, 1, 1, tzinfo=UTC)):
        data = to_zip(make_pad(starts_at=start, ends_at=None))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_different_content_changes_the_bytes(make_pad) -> None:
    assert to_zip(make_pad("un")) != to_zip(make_pad("deux"))
