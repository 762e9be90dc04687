import xml.etree.ElementTree as ET

import pytest

from exports.archive.activity import BASELINE, MAX_BARS, TOP, activity_svg

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{SVG}rect")


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_a_bar_per_minute_with_title_desc_and_contributors() -> None:
    root = parsed(activity_svg([3, 0, 12, 5], 7))

    assert root.find(f"{SVG}title").text == "Modifications par minute"
    assert root.find(f"{SVG}desc").text == "20 modifications en 4 min ; 7 personnes ont écrit."
    assert root.get("role") == "img"
    assert "7 personnes ont écrit" in texts(root)
    drawn = bars(root)
    assert len(drawn) == 4
    heights = [float(bar.get("height")) for bar in drawn]
    assert heights[1] == 0
    assert heights[2] == BASELINE - TOP
    assert heights[0] == pytest.approx((BASELINE - TOP) * 3 / 12, abs=0.01)
    assert drawn[2].find(f"{SVG}title").text == "2–3 min : 12 modifications"


def test_no_count_of_people_when_none_is_known() -> None:
    """0 means nobody wrote under a name (an import, clients without awareness): the picture
    says nothing rather than "0 personne a écrit" beside the edits."""
    root = parsed(activity_svg([3, 1], 0))
    assert root.find(f"{SVG}desc").text == "4 modifications en 2 min."
    assert not [text for text in texts(root) if "écrit" in text]
    assert parsed(activity_svg([2], 0, lang="en")).find(f"{SVG}desc").text == (
        "2 edits over 1 min."
    )


def test_nothing_to_run_or_fetch() -> None:
    svg = activity_svg(list(range(60)), 3)

    root = parsed(svg)
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not {name for name in attributes if "href" in name or name.startswith("on")}
    assert "style" not in attributes
    assert not root.findall(f".//{SVG}script")
    assert "url(" not in svg


@pytest.mark.parametrize(
    ("minutes", "expected_bars", "per_bar"),
    [(MAX_BARS, MAX_BARS, 1), (MAX_BARS + 1, 61, 2), (600, 120, 5), (1000, 112, 9)],
)
def test_long_meetings_are_grouped_into_at_most_max_bars(
    minutes: int, expected_bars: int, per_bar: int
) -> None:
    root = parsed(activity_svg([1] * minutes, 2))

    assert len(bars(root)) == expected_bars
    assert f"{minutes} modifications en {minutes} min" in root.find(f"{SVG}desc").text
    if per_bar > 1:
        assert f"{per_bar} min par barre" in texts(root)


def test_bar_limit_is_a_parameter() -> None:
    assert len(bars(parsed(activity_svg([1] * 10, 1, max_bars=10)))) == 10
    assert len(bars(parsed(activity_svg([1] * 11, 1, max_bars=10)))) == 6


@pytest.mark.parametrize("edits", [[], [0, 0, 0]])
def test_no_edits_draws_no_bars_and_says_so(edits: list[int]) -> None:
    root = parsed(activity_svg(edits, 0))

    assert bars(root) == []
    assert "Aucune modification enregistrée." in texts(root)
    assert not [text for text in texts(root) if "écrit" in text]


def test_english() -> None:
    root = parsed(activity_svg([1, 1], 1, lang="en"))

    assert root.find(f"{SVG}title").text == "Edits per minute"
    assert "1 person wrote" in texts(root)
    assert root.find(f"{SVG}desc").text == "2 edits over 2 min; 1 person wrote."


def test_same_counts_same_bytes() -> None:
    counts = [5, 8, 13, 0, 2] * 40

    assert activity_svg(counts, 4) == activity_svg(list(counts), 4)


@pytest.mark.parametrize(
    ("edits", "contributors", "options"),
    [([1, -1], 1, {}), ([1], -1, {}), ([1], 1, {"max_bars": 0}), ([1], 1, {"lang": "de"})],
)
def test_bad_counts_are_refused(edits: list[int], contributors: int, options: dict) -> None:
    with pytest.raises(ValueError):
        activity_svg(edits, contributors, **options)
