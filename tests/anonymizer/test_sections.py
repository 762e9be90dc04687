"""Personal lists: headings, where bodies end, entries, and their removal."""

from __future__ import annotations

from anonymizer.names import apply, names_plan
from anonymizer.sections import find_personal_lists, heading_key, removal_edits


def _bodies(text: str) -> list[str]:
    return [text[found.start : found.end] for found in find_personal_lists(text)]


def _names(text: str) -> list[str]:
    return [entry.name for found in find_personal_lists(text) for entry in found.entries]


def test_markdown_list_with_count_ends_at_next_heading() -> None:
    text = (
        "# Atelier\n## Participants (3)\n- Anaïs Kerlann\n- Ewen Trégoat\n* Lise Marec\n"
        "## Questions\nq"
    )
    assert _bodies(text) == ["- Anaïs Kerlann\n- Ewen Trégoat\n* Lise Marec"]
    assert _names(text) == ["Anaïs Kerlann", "Ewen Trégoat", "Lise Marec"]


def test_plain_heading_with_count_and_colon() -> None:
    text = "Participants (26) :\nAnaïs Kerlann\nEwen Trégoat\n\n\nLa suite des notes"
    assert _bodies(text) == ["Anaïs Kerlann\nEwen Trégoat"]


def test_heading_forms_are_case_accent_and_inclusive_insensitive() -> None:
    for heading in (
        "PARTICIPANT·ES",
        "participant.e.s",
        "**Présent·es** :",
        "Mél",
        "mel (17 sur 26)",
        "### E-mail",
        "Liste de diffusion :",
        "attendees",
    ):
        text = f"{heading}\n- Anaïs Kerlann\n"
        assert _bodies(text) == ["- Anaïs Kerlann"], heading
    assert heading_key("Participant·e·s") == heading_key("participantes")


def test_other_words_are_not_headings() -> None:
    assert find_personal_lists("Les participants ont posé des questions\n- Anaïs\n") == []
    assert find_personal_lists("## Programme\n- Anaïs Kerlann\n") == []


def test_body_ends_at_rule_known_heading_and_two_blank_lines() -> None:
    assert _bodies("Inscrits\n- Anaïs\n---\nAprès") == ["- Anaïs"]
    assert _bodies("Inscrits\n- Anaïs\n***\nAprès") == ["- Anaïs"]
    assert _bodies("Inscrits\n- Anaïs\nTour de parole :\nAprès") == ["- Anaïs"]
    assert _bodies("Inscrits\n- Anaïs\n\n- Ewen\n\n\nAprès") == ["- Anaïs\n\n- Ewen"]
    assert _bodies("Inscrits\n- Anaïs\nAutre partie\n=====\nAprès") == ["- Anaïs"]


def test_prose_after_one_blank_line_is_kept() -> None:
    assert _bodies("Inscrits\n- Anaïs\n\nEnsuite on a parlé du budget.") == ["- Anaïs"]
    text = "Inscrits\nAnaïs\n\nEnsuite on a parlé du budget de la commune."
    assert _bodies(text) == ["Anaïs"]
    assert _bodies("Inscrits\nAnaïs\n\nEwen\n") == ["Anaïs\n\nEwen"]


def test_setext_underline_belongs_to_the_heading() -> None:
    assert _bodies("Participants\n------------\n- Anaïs\n") == ["- Anaïs"]


def test_heading_typed_twice_makes_two_lists() -> None:
    text = "## Participants\n## Participants\n- Anaïs\n"
    lists = find_personal_lists(text)
    assert [found.empty for found in lists] == [True, False]
    assert [text[found.start : found.end] for found in lists] == ["", "- Anaïs"]


def test_empty_list_removes_nothing_and_writes_no_note() -> None:
    text = "## Participants (0)\n\n## Questions\n"
    (found,) = find_personal_lists(text)
    assert found.empty and removal_edits([found]) == []
    plan = names_plan(text, use_model=False)
    assert apply(plan, text) == text


def test_list_at_the_end_of_the_text() -> None:
    assert _bodies("Notes\n## Contacts\n- Anaïs Kerlann") == ["- Anaïs Kerlann"]


def test_crlf_is_kept() -> None:
    text = "## Participants\r\n- Anaïs Kerlann\r\n- Ewen Trégoat\r\n\r\n## Notes\r\nok\r\n"
    plan = names_plan(text, use_model=False)
    assert apply(plan, text) == "## Participants\r\nliste retirée\r\n\r\n## Notes\r\nok\r\n"


def test_inline_list_is_the_rest_of_its_line() -> None:
    text = "Présents : Anaïs Kerlann, Ewen Trégoat et Lise Marec\nLa réunion commence."
    assert _bodies(text) == ["Anaïs Kerlann, Ewen Trégoat et Lise Marec"]
    assert _names(text) == ["Anaïs Kerlann", "Ewen Trégoat", "Lise Marec"]


def test_entries_lose_bullets_checkboxes_numbers_markdown_and_organisations() -> None:
    text = (
        "## Participants\n"
        "- [x] **Anaïs Kerlann** (Mairie de Brest)\n"
        "1. Ewen Trégoat - Région\n"
        "2) [Lise Marec](https://exemple.fr/lise)\n"
        "• Gaëlle Corre <gaelle.corre@exemple.fr>\n"
        "- Contact : presse@exemple.fr\n"
    )
    lists = find_personal_lists(text)
    entries = {entry.name: entry.rest for entry in lists[0].entries}
    assert entries["Anaïs Kerlann"] == "Mairie de Brest"
    assert entries["Ewen Trégoat"] == "Région"
    assert "Lise Marec" in entries
    assert "Gaëlle Corre" in entries
    for entry in lists[0].entries:
        assert text[entry.start : entry.end] in (entry.name, entry.rest)


def test_name_is_read_from_an_address_local_part() -> None:
    assert "Yann Kerlann" in _names("mel\n- yann.kerlann@exemple.fr\n")


def test_headings_are_settable_and_note_in_english() -> None:
    text = "## Who was there\n- Anaïs Kerlann\n"
    plan = names_plan(text, headings=["Who was there"], language="en", use_model=False)
    assert apply(plan, text) == "## Who was there\nlist removed\n"


def test_list_names_are_removed_elsewhere_with_the_list_body() -> None:
    text = "## Participants\n- Anaïs Kerlann\n\nNotes : Kerlann propose un atelier.\n"
    plan = names_plan(text, use_model=False)
    assert (
        apply(plan, text)
        == "## Participants\nliste retirée\n\nNotes : Participant·e 1 propose un atelier.\n"
    )
    assert plan.counts() == {"email": 0, "phone": 0, "name": 1, "list": 1}
