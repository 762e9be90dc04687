import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from exports import cited_links, render_markdown
from exports.parser import MAX_DEPTH

LINK_CASES = json.loads((Path(__file__).parent / "links_cases.json").read_text(encoding="utf-8"))

REL = "nofollow noopener"


def test_commonmark_with_tables_and_linkify(make_pad, inventory) -> None:
    html = render_markdown(make_pad().content)

    tags = [tag for tag, _ in inventory(html).elements]
    assert tags[:2] == ["h1", "p"]
    assert {"h2", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "blockquote"} <= set(
        tags
    )
    assert "<strong>Les Décarbonautes</strong>" in html
    assert "<td>12</td>" in html


def test_every_link_is_web_only_nofollow_and_untracked(make_pad, inventory) -> None:
    html = render_markdown(make_pad().content)

    links = [attrs for tag, attrs in inventory(html).elements if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://www.lesdecarbonautes.fr",
        "https://clermontparticipatif.fr",
        "https://exemple.org/guide?page=2",
        "https://video.exemple.org/replay",
    ]
    assert all(link["rel"] == REL for link in links)


@pytest.mark.parametrize("text", [case["text"] for case in LINK_CASES])
def test_the_page_links_nothing_the_index_leaves_out(text: str, inventory) -> None:
    hrefs = [
        attrs["href"] for tag, attrs in inventory(render_markdown(text)).elements if tag == "a"
    ]

    encode = MarkdownIt().normalizeLink
    assert set(hrefs) <= {encode(link.url) for link in cited_links(text)}


def test_trailing_punctuation_stays_outside_links() -> None:
    html = render_markdown("voir https://exemple.org/a: et «https://exemple.org/b»")

    assert html == (
        f'<p>voir <a href="https://exemple.org/a" rel="{REL}">https://exemple.org/a</a>: et '
        f'«<a href="https://exemple.org/b" rel="{REL}">https://exemple.org/b</a>»</p>\n'
    )


def test_links_the_index_rejects_stay_text(inventory) -> None:
    html = render_markdown("notes.md, script.py, jean.dupont et 192.168.1.1")

    assert [tag for tag, _ in inventory(html).elements] == ["p"]


def test_refused_targets_leave_their_label_as_text() -> None:
    html = render_markdown("[relatif](notes.md) [ancre](#haut) [js](javascript:alert(1))")

    assert html == "<p>relatif ancre [js](javascript:alert(1))</p>\n"


def test_images_become_links_to_the_image() -> None:
    html = render_markdown('![le *logo*](https://img.exemple.org/logo.png?utm_medium=x "Logo")')

    assert html == (f'<p><a href="https://img.exemple.org/logo.png" rel="{REL}">le logo</a></p>\n')


def test_image_without_description_shows_its_address() -> None:
    html = render_markdown("![](https://img.exemple.org/a.png)")

    assert ">https://img.exemple.org/a.png</a>" in html


def test_table_alignment_does_not_bring_inline_styles() -> None:
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")

    assert "style" not in html
    assert "<th>a</th>" in html


def test_ordered_list_keeps_its_start() -> None:
    assert render_markdown("3. trois\n4. quatre").startswith('<ol start="3">')


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("<b>gras</b> & <i>")

    assert html == "<p>&lt;b&gt;gras&lt;/b&gt; &amp; &lt;i&gt;</p>\n"


def quotes(depth: int) -> str:
    return "> " * depth + "au fond\n\nla suite [lien](https://exemple.org)"


def test_nesting_at_the_limit_is_formatted() -> None:
    html = render_markdown(quotes(MAX_DEPTH))

    assert html.count("<blockquote>") == MAX_DEPTH
    assert "au fond" in html
    assert f'<a href="https://exemple.org" rel="{REL}">lien</a>' in html


def test_nesting_past_the_limit_is_shown_as_typed_without_loss() -> None:
    text = quotes(MAX_DEPTH + 1)

    html = render_markdown(text)

    assert "<blockquote>" not in html
    assert html == "<pre>" + text.replace(">", "&gt;") + "</pre>\n"


def test_nesting_limit_is_a_parameter() -> None:
    assert render_markdown("> > x", max_depth=2).count("<blockquote>") == 2
    assert render_markdown("> > > x", max_depth=2).startswith("<pre>")
    assert render_markdown("- - x", max_depth=4).count("<ul>") == 2
    assert render_markdown("- - - x", max_depth=4).startswith("<pre>")
