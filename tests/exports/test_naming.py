"""Export file names: the webinar's day on the pad's wall clock, then its title in ASCII."""

from __future__ import annotations

from datetime import UTC, datetime

from exports.naming import MAX_TITLE_CHARS, export_stem


def test_the_day_then_the_title(make_pad) -> None:
    pad = make_pad(title="Convention citoyenne : Rouen !", starts_at=datetime(2026, 12, 2, 7, 8))
    assert export_stem(pad) == "2026-12-02-convention-citoyenne-rouen"


def test_the_day_is_the_pads_not_utcs(make_pad) -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert export_stem(make_pad(title="Réveillon", starts_at=late)) == "2027-01-01-reveillon"
    montreal = make_pad(title="Réveillon", starts_at=late, timezone="America/Montreal")
    assert export_stem(montreal) == "2026-12-31-reveillon"


def test_accents_go_and_a_long_title_is_cut_at_a_word(make_pad) -> None:
    title = "Élaboration du budget participatif de Saint-Brieuc et des communes voisines, 2027"
    stem = export_stem(make_pad(title=title, starts_at=None, ends_at=None))
    assert stem.startswith("elaboration-du-budget-participatif-de-saint-brieuc")
    assert len(stem) <= MAX_TITLE_CHARS and not stem.endswith("-")


def test_a_title_with_nothing_to_keep_falls_back_to_the_id(make_pad) -> None:
    pad = make_pad(title="« » ???", starts_at=None, ends_at=None)
    assert export_stem(pad) == f"skrid-{pad.id}"
