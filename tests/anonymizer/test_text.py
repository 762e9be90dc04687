"""`find`, `redact`, `count` and the named limits, on plain text."""

from __future__ import annotations

import pytest

from anonymizer import Finding, Markers, count, find, redact
from anonymizer.emails import MAX_DOMAIN_LENGTH, MAX_LOCAL_LENGTH
from anonymizer.phones import MAX_INTERNATIONAL_DIGITS, MIN_INTERNATIONAL_DIGITS


def test_finding_fields_and_order() -> None:
    text = "Tél 06 12 34 56 78 puis jean@exemple.fr"
    assert find(text) == [
        Finding("phone", 4, 18, "+33612345678"),
        Finding("email", 24, 39, "jean@exemple.fr"),
    ]


def test_redact_keeps_every_other_character() -> None:
    text = "« Bonjour 😀 »\r\n\tÉcrire à\u00a0jean@exemple.fr 🎉, ou 06 12 34 56 78\u200b.\n"
    expected = (
        "« Bonjour 😀 »\r\n\tÉcrire à\u00a0[adresse retirée] 🎉, ou [téléphone retiré]\u200b.\n"
    )
    assert redact(text) == expected
    assert redact(text).encode() == expected.encode()


def test_redact_without_findings_returns_the_same_text() -> None:
    text = "Merci @ReseauCoherence, rdv @ 17h 😀"
    assert redact(text) == text


def test_markers_are_settable() -> None:
    markers = Markers(email="<e-mail>", phone="<phone>")
    assert redact("a@b.fr / +44 20 7946 0958", markers) == "<e-mail> / <phone>"


def test_count_reports_every_kind() -> None:
    assert count(find("a@b.fr c@d.fr 0612345678")) == {"email": 2, "phone": 1}
    assert count([]) == {"email": 0, "phone": 0}


def test_email_wins_over_a_phone_inside_it() -> None:
    assert [f.kind for f in find("0612345678@sms.exemple.fr")] == ["email"]


def test_local_part_limit() -> None:
    at_limit = "a" * MAX_LOCAL_LENGTH + "@exemple.fr"
    past_limit = "a" * (MAX_LOCAL_LENGTH + 1) + "@exemple.fr"
    assert [f.value for f in find(at_limit)] == [at_limit]
    assert find(past_limit) == []


def test_domain_limit() -> None:
    label = "d" * 60 + "."
    at_limit = label * 4 + "d" * (MAX_DOMAIN_LENGTH - 4 * len(label) - 3) + ".fr"
    past_limit = "d" + at_limit
    assert len(at_limit) == MAX_DOMAIN_LENGTH
    assert [f.value for f in find(f"jean@{at_limit}")] == [f"jean@{at_limit}"]
    assert find(f"jean@{past_limit}") == []


@pytest.mark.parametrize(
    ("digits", "found"),
    [
        (MIN_INTERNATIONAL_DIGITS - 1, False),
        (MIN_INTERNATIONAL_DIGITS, True),
        (MAX_INTERNATIONAL_DIGITS, True),
        (MAX_INTERNATIONAL_DIGITS + 1, False),
    ],
)
def test_international_digit_limits(digits: int, found: bool) -> None:
    number = "+4" + "1" * (digits - 1)
    assert bool(find(f"appeler le {number} demain")) is found


def test_redact_of_invisible_and_obfuscated_forms_leaves_nothing() -> None:
    text = "jean\u200b@exem\u200bple.fr, anne [at] exemple [dot] fr, @alice@mastodon.social"
    assert redact(text) == "[adresse retirée], [adresse retirée], [adresse retirée]"
