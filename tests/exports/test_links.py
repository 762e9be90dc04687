"""The links index, against the cases shared with the browser client's links panel."""

import json
from pathlib import Path

import pytest

from exports import CitedLink, cited_links
from exports.links import CONTEXT_CHARS, ELLIPSIS

CASES = json.loads((Path(__file__).parent / "links_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:40] for case in CASES])
def test_shared_case(case: dict) -> None:
    assert [link.as_dict() for link in cited_links(case["text"])] == case["links"]


def test_cases_cover_the_rules() -> None:
    found = {link["url"] for case in CASES for link in case["links"]}
    assert "https://www.lesdecarbonautes.fr" in found
    assert "https://clermontparticipatif.fr" in found
    assert sum(1 for case in CASES if not case["links"]) >= 5
    assert len(CASES) >= 30


def test_order_dedup_tracking_and_context_in_a_real_pad(make_pad) -> None:
    links = cited_links(make_pad().content)

    assert links == [
        CitedLink(
            "https://www.lesdecarbonautes.fr",
            "Intervenants : la métropole et **Les Décarbonautes** (www.lesdecarbonautes.fr).",
            3,
        ),
        CitedLink(
            "https://clermontparticipatif.fr", "- Budget participatif : clermontparticipatif.fr", 7
        ),
        CitedLink(
            "https://exemple.org/guide?page=2",
            "- [Le guide](https://exemple.org/guide?utm_source=lettre&page=2)",
            8,
        ),
        CitedLink(
            "https://video.exemple.org/replay", "- Replay : <https://video.exemple.org/replay>", 9
        ),
    ]


def line_with_link(length: int) -> tuple[str, str]:
    link = "https://exemple.org/page"
    filler = length - len(link) - 2
    return "a" * (filler // 2) + " " + link + " " + "b" * (filler - filler // 2), link


def test_context_at_the_limit_is_the_whole_line() -> None:
    line, _ = line_with_link(CONTEXT_CHARS)
    assert len(line) == CONTEXT_CHARS

    assert cited_links(line)[0].context == line


def test_context_past_the_limit_is_a_window_around_the_link() -> None:
    line, link = line_with_link(CONTEXT_CHARS + 1)

    context = cited_links(line)[0].context

    assert context.startswith(ELLIPSIS) != context.endswith(ELLIPSIS)
    assert len(context.strip(ELLIPSIS)) == CONTEXT_CHARS
    assert link in context
    assert context.strip(ELLIPSIS) in line


def test_context_limit_is_a_parameter() -> None:
    line = "début " + "x" * 50 + " https://exemple.org/fin"

    context = cited_links(line, context_chars=30)[0].context

    assert context == ELLIPSIS + line[-30:]


def test_a_link_longer_than_the_limit_keeps_its_start() -> None:
    link = "https://exemple.org/" + "p" * 100
    line = "voir " + link + " et la suite"

    context = cited_links(line, context_chars=40)[0].context

    assert context == ELLIPSIS + link[:40] + ELLIPSIS
