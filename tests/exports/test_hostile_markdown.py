"""The safety corpus: hostile Markdown that must come out inert (design guarantee 6).

The expectations are written out here, not taken from the renderer's allow-list, so that
widening the allow-list fails these tests until someone looks.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exports import render_markdown, to_html

CORPUS = json.loads((Path(__file__).parent / "hostile_markdown.json").read_text(encoding="utf-8"))
NAMES = [case["name"] for case in CORPUS]

FRAGMENT_ELEMENTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        [
            *("blockquote", "br", "code", "em", "hr", "li", "p", "pre", "strong", "ul"),
            *("h1", "h2", "h3", "h4", "h5", "h6"),
            *("table", "thead", "tbody", "tr", "th", "td"),
        ],
        frozenset(),
    ),
    "a": frozenset({"href", "rel", "title"}),
    "ol": frozenset({"start"}),
}
PAGE_ELEMENTS: dict[str, frozenset[str]] = {
    **FRAGMENT_ELEMENTS,
    **dict.fromkeys(["head", "title", "style", "body", "header", "main"], frozenset()),
    "html": frozenset({"lang"}),
    "meta": frozenset({"charset", "name", "content", "http-equiv"}),
    "time": frozenset({"datetime"}),
}


def assert_inert(html: str, allowed: dict[str, frozenset[str]], inventory) -> None:
    found = inventory(html)
    assert found.others in ([], ["DOCTYPE html"])
    for tag, attributes in found.elements:
        assert tag in allowed, tag
        assert set(attributes) <= allowed[tag], (tag, attributes)
        if tag == "a":
            target = urlsplit(attributes.get("href") or "")
            assert target.scheme in ("http", "https") and target.netloc, attributes
            assert attributes.get("rel") == "nofollow noopener"


def test_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 60
    assert len(set(NAMES)) == len(NAMES)
    text = " ".join(case["markdown"].lower() for case in CORPUS)
    for vector in ("<script", "onerror=", "javascript:", "vbscript:", "data:", "<svg", "<iframe"):
        assert vector in text, vector
    for vector in ("<form", "<style", "style=", "&#106;", "](<javascript", "]: javascript"):
        assert vector in text, vector


@pytest.mark.parametrize("case", CORPUS, ids=NAMES)
def test_fragment_is_inert(case: dict, inventory) -> None:
    assert_inert(render_markdown(case["markdown"]), FRAGMENT_ELEMENTS, inventory)


@pytest.mark.parametrize("case", CORPUS, ids=NAMES)
def test_page_is_inert_even_with_a_hostile_title(case: dict, make_pad, inventory) -> None:
    page = to_html(make_pad(case["markdown"], title=case["markdown"]))

    assert_inert(page, PAGE_ELEMENTS, inventory)
    assert page.count("<style>") == 1
    assert page.count("<meta") == 4


def test_the_check_catches_what_it_must(inventory) -> None:
    for html in (
        "<script>alert(1)</script>",
        '<p onclick="x">a</p>',
        '<a href="javascript:alert(1)" rel="nofollow noopener">a</a>',
        '<a href="https://ok.example">a</a>',
        "<!-- x -->",
    ):
        with pytest.raises(AssertionError):
            assert_inert(html, FRAGMENT_ELEMENTS, inventory)
