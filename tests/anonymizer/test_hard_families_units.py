"""One small case per hard form the anonymiser reads, its confidence, and the prose it leaves."""

from __future__ import annotations

import pytest

from anonymizer import Finding, find, redact


def _emails(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.value) for f in find(text) if f.kind == "email"]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("jean.dupont@\nexemple.fr", "jean.dupont@\nexemple.fr"),
        ("jean.dupont\r\n@exemple.fr", "jean.dupont\r\n@exemple.fr"),
        ("voir jean@exemple\n.fr", "jean@exemple\n.fr"),
        ("jean@exemple.\r\nfr", "jean@exemple.\r\nfr"),
        ("anne-\nsophie@exemple.fr", "anne-\nsophie@exemple.fr"),
        ("jean@cc-pays-\rde-brest.fr", "jean@cc-pays-\rde-brest.fr"),
        ("jean @ exemple . fr", "jean @ exemple . fr"),
        ("jean\u2009@\u202fexemple.fr", "jean\u2009@\u202fexemple.fr"),
        ("jean@exemple .fr", "jean@exemple .fr"),
        ("jean@exemple.co\u00a0. uk", "jean@exemple.co\u00a0. uk"),
        ("jean .dupont@exemple.fr", "jean .dupont@exemple.fr"),
        ("jean&#64;exemple&#46;fr", "jean&#64;exemple&#46;fr"),
        ("jean&#x40;exemple&period;fr", "jean&#x40;exemple&period;fr"),
        ("jean&commat;exemple.fr", "jean&commat;exemple.fr"),
        ("jean chez exemple point fr", "jean chez exemple point fr"),
        ("jean {chez} exemple.fr", "jean {chez} exemple.fr"),
        ("jean [à] exemple [.] fr", "jean [à] exemple [.] fr"),
        ("jean (a) exemple (d) fr", "jean (a) exemple (d) fr"),
        ("jean -at- exemple -dot- fr", "jean -at- exemple -dot- fr"),
        ("jean at exemple.fr", "jean at exemple.fr"),
        ("u=jean%2540exemple.fr", "jean%2540exemple.fr"),
        ("u=jean%2Edupont%40exemple%2Efr", "jean%2Edupont%40exemple%2Efr"),
        ("mailto%3Ajean%40exemple.fr", "jean%40exemple.fr"),
    ],
)
def test_a_hard_form_is_found_whole(text: str, raw: str) -> None:
    assert [found for found, _ in _emails(text)] == [raw]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("jean@[192.0.2.1]", "jean@[192.0.2.1]"),
        ("jean@[IPv6:2001:db8::1]", "jean@[ipv6:2001:db8::1]"),
        ("jean@192.0.2.1", "jean@192.0.2.1"),
        ("नमिता@उदाहरण.भारत", "नमिता@उदाहरण.भारत"),
        ("কবিতা@উদাহরণ.বাংলা", "কবিতা@উদাহরণ.বাংলা"),
        ("jean@exemple.fr.Merci", "jean@exemple.fr"),
        ("jean@exemple.bzh.PS : à lire", "jean@exemple.bzh"),
        ("presse@quimper.bzh:merci", "presse@quimper.bzh"),
    ],
)
def test_literals_scripts_and_glued_words(text: str, value: str) -> None:
    assert [found for _, found in _emails(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "chez Orange point de vente",
        "rdv à 17h point presse",
        "data dot plots",
        "rendez-vous @ 14h",
        "Bravo @ tous",
        "Merci à tous.\n@Marie, tu envoies le lien ?",
        "ping 192.168.0.1 puis 10.0.0.1",
        "Serveur @ 10.0.0.1",
        "npm i pkg@1.2.3 lib@1.0.0-beta.rc",
        "logo@2x.png et icon@3x.webp",
        "Merci à tous. Il reste du café",
        "jean@exemple. De plus, la salle",
        "meet at example.com",
        "git clone git@github.com:skrid/skrid.git",
    ],
)
def test_prose_and_code_are_left_alone(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "+33612345678"),
        ("06 douze 34 cinquante-six 78", "+33612345678"),
        ("zéro deux quatre-vingt-dix-huit zéro zéro onze vingt-deux", "+33298001122"),
        ("zéro huit cents, douze, trente-quatre, cinquante-six", "+33800123456"),
        (
            "plus trente-trois, six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
            "+33612345678",
        ),
        ("06 12 34\n56 78", "+33612345678"),
        ("07.65.43.\r\n21.09", "+33765432109"),
    ],
)
def test_spelled_and_broken_phones(text: str, value: str) -> None:
    assert [(f.kind, f.value, f.end) for f in find(text)] == [("phone", value, len(text))]


@pytest.mark.parametrize(
    "text", ["zéro émission d'ici 2050", "01\n02\n03\n04\n05", "six douze trente"]
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert redact(text) == text


def test_confidence_defaults_to_certain() -> None:
    assert Finding("email", 0, 6, "a@b.fr").confidence == "certain"


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        ("jean@exemple.fr", "certain"),
        ("@alice@mastodon.social", "certain"),
        ("jean@[192.0.2.1]", "certain"),
        ("06 12 34 56 78", "certain"),
        ("+44 20 7946 0958", "certain"),
        ("jean @ exemple.fr", "probable"),
        ("jean@\nexemple.fr", "probable"),
        ("jean [at] exemple [dot] fr", "probable"),
        ("jean&#64;exemple.fr", "probable"),
        ("jean%40exemple.fr", "probable"),
        ("jean\u200b@exemple.fr", "probable"),
        ("06 12\n34 56 78", "probable"),
        ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "probable"),
    ],
)
def test_confidence_says_how_the_finding_was_read(text: str, confidence: str) -> None:
    assert [f.confidence for f in find(text)] == [confidence]


def test_both_confidences_are_redacted() -> None:
    assert redact("jean@exemple.fr / jean chez exemple point fr") == (
        "[adresse retirée] / [adresse retirée]"
    )
