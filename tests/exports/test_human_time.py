"""Dates and times for people: the French style ("8 h 08", "1er janvier") and its English twin,
on the wall clock of the server's zone whatever zone the moment comes in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from exports.human_time import format_date, format_schedule, format_time

PARIS = "Europe/Paris"
WINTER = datetime(2026, 12, 2, 7, 8, tzinfo=UTC)  # 8:08 in Paris (UTC+1)


def test_french_style_in_the_servers_zone() -> None:
    assert format_date(WINTER, "fr", PARIS) == "mercredi 2 décembre 2026"
    assert format_time(WINTER, "fr", PARIS) == "8 h 08"
    assert format_time(WINTER, "fr", "UTC") == "7 h 08"


def test_english_twin() -> None:
    assert format_date(WINTER, "en", PARIS) == "Wednesday 2 December 2026"
    assert format_time(WINTER, "en", PARIS) == "8:08"


def test_first_of_the_month_is_1er_in_french_only() -> None:
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January in Paris
    assert format_date(new_year, "fr", PARIS) == "vendredi 1er janvier 2027"
    assert format_date(new_year, "fr", PARIS, weekday=False) == "1er janvier 2027"
    assert format_date(new_year, "en", PARIS) == "Friday 1 January 2027"
    assert format_time(new_year, "fr", PARIS) == "0 h 30"


def test_summer_time_and_naive_moments_as_utc() -> None:
    summer = datetime(2026, 7, 14, 20, 5)  # naive: UTC; 22:05 in Paris (UTC+2)
    assert format_date(summer, "fr", PARIS, weekday=False) == "14 juillet 2026"
    assert format_time(summer, "fr", PARIS) == "22 h 05"
    assert format_time(summer, "en", "UTC") == "20:05"


def test_a_schedule_within_a_day_over_days_at_one_moment_or_none() -> None:
    new_york = timezone(timedelta(hours=-5))
    start = datetime(2026, 12, 2, 2, 8, tzinfo=new_york)  # 8:08 in Paris
    assert format_schedule(start, start + timedelta(minutes=82), "fr", PARIS) == (
        "mercredi 2 décembre 2026 de 8 h 08 à 9 h 30"
    )
    assert format_schedule(start, start + timedelta(days=1), "en", PARIS) == (
        "from Wednesday 2 December 2026 at 8:08 to Thursday 3 December 2026 at 8:08"
    )
    assert format_schedule(None, start, "fr", PARIS) == "mercredi 2 décembre 2026 à 8 h 08"
    assert format_schedule(start, None, "en", PARIS) == "Wednesday 2 December 2026 at 8:08"
    assert format_schedule(None, None, "fr", PARIS) == ""
