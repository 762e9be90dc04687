"""The notes a new pad starts with: the webinar template (`POST /api/pads`, `template`).

The webinar template writes the title, the date and time (in the server's time zone), the
speakers, a placeholder for the webinar's link, then the sections attendees fill in:
"Participants" and "mel" (personal lists for `anonymizer.sections`: the purge removes their
bodies, keeping each heading with a note), "Présentation", "Questions", "Tour de parole"; in
English, "Participants", "Email", "Presentation", "Questions", "Speaking round". The "mel"
section opens with its promise, that the addresses will be erased after the meeting: it is
the line the purge replaces with the note, with the addresses left under it (so an untouched
template's purge counts one list: the promise was kept); with
such a list, the host's contact list is the addresses in it only (`anonymizer.contacts`).

The text is written as the pad's first update, by a client id of its own, before anyone
joins: every client then edits it like notes it typed.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Literal

Template = Literal["webinar", "plain"]
Language = Literal["fr", "en"]

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "date": "Date",
        "unset": "à préciser",
        "speakers": "Intervenant·es",
        "link": "Lien du webinaire",
        "link_placeholder": "à compléter",
        "participants": "Participants",
        "mail": "mel",
        "promise": "_Les adresses mel seront effacées après la réunion._",
        "presentation": "Présentation",
        "questions": "Questions",
        "round": "Tour de parole",
    },
    "en": {
        "date": "Date",
        "unset": "to be set",
        "speakers": "Speakers",
        "link": "Webinar link",
        "link_placeholder": "to be added",
        "participants": "Participants",
        "mail": "Email",
        "promise": "_Email addresses will be erased after the meeting._",
        "presentation": "Presentation",
        "questions": "Questions",
        "round": "Speaking round",
    },
}


def when(starts_at: datetime | None, ends_at: datetime | None, zone: tzinfo, unset: str) -> str:
    """`2026-12-03 18:00 – 19:30`, in `zone`; the end's date too when it is another day."""
    if starts_at is None:
        return unset
    start = starts_at.astimezone(zone)
    text = start.strftime("%Y-%m-%d %H:%M")
    if ends_at is not None:
        end = ends_at.astimezone(zone)
        same_day = end.date() == start.date()
        text += " – " + end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
    return text


def webinar_notes(
    title: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    speakers: tuple[str, ...],
    zone: tzinfo,
    language: Language,
) -> str:
    words = WORDS[language]
    sections = [
        f"## {words['participants']}\n\n",
        f"## {words['mail']}\n{words['promise']}\n\n",
        f"## {words['presentation']}\n\n",
        f"## {words['questions']}\n\n",
        f"## {words['round']}\n",
    ]
    return (
        f"# {title}\n\n"
        f"{words['date']} : {when(starts_at, ends_at, zone, words['unset'])}\n"
        f"{words['speakers']} : {', '.join(speakers) or words['unset']}\n"
        f"{words['link']} : {words['link_placeholder']}\n\n" + "".join(sections)
    )
