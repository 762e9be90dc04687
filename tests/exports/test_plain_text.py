from exports import to_text
from exports.parser import MAX_DEPTH
from exports.plain_text import markdown_to_text


def test_a_real_pad_reads_as_plain_text(make_pad) -> None:
    assert to_text(make_pad()) == (
        "Webinaire : la mobilité à Clermont\n"
        "==================================\n"
        "\n"
        "Intervenants : la métropole et Les Décarbonautes (www.lesdecarbonautes.fr).\n"
        "\n"
        "Liens\n"
        "-----\n"
        "\n"
        "- Budget participatif : clermontparticipatif.fr\n"
        "- Le guide (https://exemple.org/guide?utm_source=lettre&page=2)\n"
        "- Replay : https://video.exemple.org/replay\n"
        "\n"
        "Thème  Votes\n"
        "-----  -----\n"
        "Vélo   12\n"
        "\n"
        "> Prochaine séance en mars.\n"
    )


def test_lists_nest_and_number_from_their_start() -> None:
    text = "3. trois\n   - sous-point\n4. quatre\n\n   suite de quatre\n"

    assert markdown_to_text(text) == (
        "3. trois\n\n   - sous-point\n\n4. quatre\n\n   suite de quatre\n"
    )


def test_code_is_indented_and_kept_verbatim() -> None:
    text = "```python\nif x:\n    print('**pas gras**')\n```\n\n`a*b*c` fin"

    assert markdown_to_text(text) == ("    if x:\n        print('**pas gras**')\n\na*b*c fin\n")


def test_links_images_quotes_and_rules() -> None:
    text = (
        "[site](https://a.org) <https://b.org> [https://c.org](https://c.org)\n\n"
        "![logo](https://i.org/l.png) ![](https://i.org/m.png)\n\n"
        "> un\n>\n> > deux\n\n---\n\n### petit *titre*"
    )

    assert markdown_to_text(text) == (
        "site (https://a.org) https://b.org https://c.org\n"
        "\n"
        "logo (https://i.org/l.png) https://i.org/m.png\n"
        "\n"
        "> un\n"
        ">\n"
        "> > deux\n"
        "\n"
        "----\n"
        "\n"
        "petit titre\n"
    )


def test_line_breaks_are_kept_and_escapes_resolved() -> None:
    assert markdown_to_text("un\ndeux  \ntrois\\\nquatre \\*étoile\\*") == (
        "un\ndeux\ntrois\nquatre *étoile*\n"
    )


def test_empty_pad_is_empty_text() -> None:
    assert markdown_to_text("") == ""


def test_nesting_at_the_limit_is_formatted() -> None:
    assert markdown_to_text("> " * MAX_DEPTH + "fond") == "> " * MAX_DEPTH + "fond\n"


def test_nesting_past_the_limit_comes_out_as_typed() -> None:
    text = "> " * (MAX_DEPTH + 1) + "fond\n\n**la suite**"

    assert markdown_to_text(text) == text
