import pytest

from exports.urls import LinkFinder, normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://exemple.org/", "https://exemple.org"),
        ("HTTPS://Exemple.ORG/Chemin", "https://exemple.org/Chemin"),
        ("https://exemple.org/a?utm_source=x&UTM_TERM=y&q=1", "https://exemple.org/a?q=1"),
        ("https://exemple.org/a?q=%20+x&fbclid=1", "https://exemple.org/a?q=%20+x"),
        (
            "https://exemple.org/a?gclid=1&mc_cid=2&mc_eid=3&igshid=4&yclid=5&_hsenc=6",
            "https://exemple.org/a",
        ),
        ("https://exemple.org/a?&&q=1&", "https://exemple.org/a?q=1"),
        ("https://exemple.org/a?utm=1&utmx=2", "https://exemple.org/a?utm=1&utmx=2"),
        ("https://exemple.org/a#", "https://exemple.org/a"),
        ("https://exemple.org/a?utm_source=x#part", "https://exemple.org/a#part"),
        ("https://anne:secret@exemple.org:8443/a", "https://exemple.org:8443/a"),
        ("http://exemple.org", "http://exemple.org"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_finder_gives_positions_in_the_original_text() -> None:
    text = "voir «https://exemple.org/a» et www.exemple.fr."

    matches = LinkFinder().match(text) or []

    assert [text[m.index : m.last_index] for m in matches] == [
        "https://exemple.org/a",
        "www.exemple.fr",
    ]
    assert [m.url for m in matches] == ["https://exemple.org/a", "https://www.exemple.fr"]


def test_finder_finds_nothing_in_plain_prose() -> None:
    assert LinkFinder().match("Rien à signaler, voir notes.md et le rapport.pdf.") is None
