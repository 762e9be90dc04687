"""The ZIP export: every single-file format plus a short README in French and English.

The archive is reproducible: members come in a fixed order with fixed names, permissions and
timestamp (the meeting's end, else its start, else 1980-01-01, the earliest a ZIP can say), so
the same pad yields the same bytes and a mirror can tell whether anything changed. A ZIP's times
carry no zone and are shown as they are: they are the pad's wall clock (its `timezone`), not
UTC. The README says when the webinar was, in both languages.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from exports.document import PadDocument
from exports.formats import FORMATS, ExportFormat
from exports.human_time import LANGUAGES, format_schedule, local

STEM = "notes"
README_NAME = "LISEZMOI-README.txt"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
UNIX = 3

DESCRIPTIONS = {
    "md": ("le texte tel que saisi (Markdown)", "the text as typed (Markdown)"),
    "txt": ("le même en texte brut", "the same as plain text"),
    "html": ("une page web à ouvrir dans un navigateur", "a web page to open in a browser"),
    "json": (
        "titre, horaires, état, texte, liens cités, adresses retirées (nombre)",
        "title, schedule, state, text, cited links, removed addresses (counts)",
    ),
    "yjs": (
        "copie technique, pour les développeurs : l’état Yjs complet (mise à jour v1)",
        "technical copy, for developers: the full Yjs state (v1 update)",
    ),
}
"""What each file is, in French then English, for the README."""


def _readme(doc: PadDocument) -> str:
    """The README of the bundle: the pad's title, then each file described in both languages."""
    french = [f"  {STEM}.{ext:<6}{fr}" for ext, (fr, _) in DESCRIPTIONS.items()]
    english = [f"  {STEM}.{ext:<6}{en}" for ext, (_, en) in DESCRIPTIONS.items()]
    when = [
        format_schedule(doc.starts_at, doc.ends_at, language, doc.timezone)
        for language in LANGUAGES
    ]
    return "\n".join(
        [
            doc.title or doc.id,
            *[line for line in when if line],
            "",
            "Notes du webinaire, exportées de Skrid :",
            *french,
            "",
            "Webinar notes, exported from Skrid:",
            *english,
            "",
        ]
    )


def to_zip(doc: PadDocument) -> bytes:
    stamp = _timestamp(doc.ends_at or doc.starts_at, doc.timezone)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write(archive, README_NAME, _readme(doc).encode(), stamp)
        for export in FORMATS.values():
            _write(archive, f"{STEM}.{export.extension}", export.render_bytes(doc), stamp)
    return buffer.getvalue()


def _timestamp(moment: datetime | None, timezone: str) -> tuple[int, int, int, int, int, int]:
    if moment is None:
        return ZIP_EPOCH
    wall = local(moment, timezone)
    if wall.year < ZIP_EPOCH[0]:
        return ZIP_EPOCH
    return (wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)


def _write(
    archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, int, int, int, int, int]
) -> None:
    member = zipfile.ZipInfo(name, date_time=stamp)
    member.create_system = UNIX
    member.external_attr = FILE_MODE << 16
    member.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(member, data)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    **FORMATS,
    "zip": ExportFormat("zip", "application/zip", to_zip),
}
"""Every format of `GET /api/pads/{id}/export.{extension}`, by extension."""
