"""Dates and times for people to read, in one style per language, in a given time zone.

French: "mardi 2 décembre 2026 à 8 h 08", "1er janvier" (the typographic style of the Imprimerie
nationale); English: "Tuesday 2 December 2026 at 8:08" (24-hour clock, day before month, as a
European audience reads it). Month and day names are written here rather than taken from the
process's locale, which a server rarely has in French. Pure: data in, text out.

Every page and file a person reads says its times this way: the exported HTML (and the ZIP
that holds it), the archive's pages and the static site. `format_schedule` says when a meeting
was.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

Language = Literal["fr", "en"]
LANGUAGES: tuple[Language, ...] = ("fr", "en")

_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_SCHEDULES: dict[Language, dict[str, str]] = {
    "fr": {
        "moment": "{date} à {time}",
        "range": "{date} de {time} à {end}",
        "span": "du {date} à {time} au {end_date} à {end}",
    },
    "en": {
        "moment": "{date} at {time}",
        "range": "{date} from {time} to {end}",
        "span": "from {date} at {time} to {end_date} at {end}",
    },
}
"""How a meeting is said: at a moment (one time known), within a day, over days."""


def local(moment: datetime, timezone: str | tzinfo) -> datetime:
    """`moment` on the wall clock of `timezone` (an IANA name or a tzinfo); naive means UTC."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(_zone(timezone))


def format_date(
    moment: datetime, language: Language, timezone: str | tzinfo, *, weekday: bool = True
) -> str:
    """The day: "mardi 2 décembre 2026", "1er janvier 2027" / "Tuesday 2 December 2026"."""
    when = local(moment, timezone)
    day = "1er" if language == "fr" and when.day == 1 else str(when.day)
    text = f"{day} {_MONTHS[language][when.month - 1]} {when.year}"
    return f"{_WEEKDAYS[language][when.weekday()]} {text}" if weekday else text


def format_time(moment: datetime, language: Language, timezone: str | tzinfo) -> str:
    """The time of day: "8 h 08" / "8:08"."""
    when = local(moment, timezone)
    separator = " h " if language == "fr" else ":"
    return f"{when.hour}{separator}{when.minute:02d}"


def format_schedule(
    starts_at: datetime | None,
    ends_at: datetime | None,
    language: Language,
    timezone: str | tzinfo,
) -> str:
    """When a meeting is: "mercredi 12 mars 2025 de 15 h 00 à 16 h 30"; the date is said once
    for a meeting within a day, both for one over days; "" when neither time is known."""
    words = _SCHEDULES[language]
    start = starts_at or ends_at
    if start is None:
        return ""
    date = format_date(start, language, timezone)
    clock = format_time(start, language, timezone)
    if starts_at is None or ends_at is None:
        return words["moment"].format(date=date, time=clock)
    end = format_time(ends_at, language, timezone)
    if local(start, timezone).date() == local(ends_at, timezone).date():
        return words["range"].format(date=date, time=clock, end=end)
    end_date = format_date(ends_at, language, timezone)
    return words["span"].format(date=date, time=clock, end_date=end_date, end=end)


def _zone(timezone: str | tzinfo) -> tzinfo:
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone
