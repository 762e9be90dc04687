import json
from pathlib import Path

import pytest

from exports.importers import MAX_IMPORT_BYTES, MAX_TITLE_CHARS, ImportRefused, import_note

SAMPLES = Path(__file__).parent / "import_samples"

ETHERPAD_HTML_MARKDOWN = """\
# Atelier énergie citoyenne

Compte rendu rédigé à plusieurs mains.

**Ordre du jour**
- Point sur la centrale *solaire* du lycée
- Financement participatif
    - Énergie Partagée
1. Vote du budget
2. Questions diverses

Présentation : https://energie.exemple.org/atelier
Voir aussi [la foire aux questions](https://www.exemple.org/faq).
"""

ETHERPAD_JSON_MARKDOWN = """\
# Réunion du collectif vélo 🚲
Prochaine réunion le 12 mars.
- Pistes cyclables
    - Boulevard Lafayette
- Stationnement
1. Voter le budget
Pétition : https://velo.exemple.org/petition
"""


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def refusal(filename: str, data: bytes, **options: int) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        import_note(filename, data, **options)
    assert filename in str(caught.value)
    return caught.value


def test_markdown_is_kept_as_typed_and_titled_by_its_first_heading() -> None:
    note = import_note("webinaire-mobilite.md", sample("webinaire-mobilite.md"))

    assert note.source_format == "markdown"
    assert note.content == sample("webinaire-mobilite.md").decode()
    assert note.title == "Webinaire : la mobilité à Clermont"


def test_text_gets_unix_line_ends_and_its_first_line_as_title() -> None:
    note = import_note("cafe-debat.txt", sample("cafe-debat.txt"))

    assert note.source_format == "text"
    assert "\r" not in note.content
    assert note.content.startswith("Compte rendu du café-débat du 4 février\n\nPrésents")
    assert note.title == "Compte rendu du café-débat du 4 février"


def test_etherpad_text_export_is_plain_text() -> None:
    note = import_note("etherpad-atelier.txt", sample("etherpad-atelier.txt"))

    assert note.source_format == "text"
    assert note.content == sample("etherpad-atelier.txt").decode()
    assert note.title == "Atelier énergie citoyenne"


def test_etherpad_html_export_becomes_markdown() -> None:
    note = import_note("etherpad-atelier.html", sample("etherpad-atelier.html"))

    assert note.source_format == "etherpad-html"
    assert note.content == ETHERPAD_HTML_MARKDOWN
    assert note.title == "Atelier énergie citoyenne"


def test_etherpad_json_export_keeps_the_text_and_drops_authors_and_chat() -> None:
    note = import_note("collectif-velo.etherpad", sample("collectif-velo.etherpad"))

    assert note.source_format == "etherpad"
    assert note.content == ETHERPAD_JSON_MARKDOWN
    assert note.title == "Réunion du collectif vélo 🚲"
    assert "Camille" not in note.content
    assert "camille.martin" not in note.content


def test_etherpad_json_with_unreadable_attributes_keeps_the_stored_text() -> None:
    export = json.loads(sample("collectif-velo.etherpad"))
    export["pad:collectif-velo"]["atext"]["attribs"] = 42

    note = import_note("velo.etherpad", json.dumps(export).encode())

    assert note.content.startswith("*Réunion du collectif vélo 🚲\nProchaine")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="javascript:alert(1)">cliquer</a>', "cliquer\n"),
        ('<a href="https://ex.org/a b(c)">la page</a>', "[la page](https://ex.org/a%20b%28c%29)\n"),
        ("<style>p{}</style><script>alert(1)</script>texte", "texte\n"),
        ("<strong>gras </strong>suite", "**gras** suite\n"),
        ("<b></b>vide", "vide\n"),
        ('<ol start="4"><li>quatre</li><li>cinq</li></ol>', "4. quatre\n5. cinq\n"),
        ('<ul class="bullet"><li>a</li><ul class="bullet"><li>b</li></ul></ul>', "- a\n    - b\n"),
        ('<ul class="indent"><li>retrait</li></ul>', "retrait\n"),
        ("un<br><br><br><br>deux", "un\n\ndeux\n"),
    ],
)
def test_html_details(html: str, expected: str) -> None:
    assert import_note("note.html", f"<body>{html}</body>".encode()).content == expected


def test_a_heading_in_code_is_not_a_title() -> None:
    data = b"Notes en vrac\n```\n# commentaire\n```\n"

    assert import_note("n.md", data).title == "Notes en vrac"


def test_title_is_cut_at_its_limit() -> None:
    assert import_note("n.md", ("# " + "a" * 300).encode()).title == "a" * MAX_TITLE_CHARS


def test_title_falls_back_to_the_file_name() -> None:
    assert import_note("notes du 4 mars.md", b"#\n##\n").title == "notes du 4 mars"


def test_limit_is_accepted_and_one_byte_more_refused() -> None:
    data = b"# Titre\n" + b"x" * (MAX_IMPORT_BYTES - 8)

    assert import_note("big.md", data).title == "Titre"
    assert refusal("big.md", data + b"x").reason == "too_large"


def test_limit_is_a_parameter() -> None:
    assert import_note("n.txt", b"a" * 10, max_bytes=10).content == "a" * 10
    assert refusal("n.txt", b"a" * 11, max_bytes=10).reason == "too_large"


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Réunion".encode("latin-1"), "binary"),
        ("pad.etherpad", b'{"pad:x": {"atext": ', "bad_json"),
        ("pad.etherpad", b"[" * 100_000 + b"]" * 100_000, "bad_json"),
        ("pad.etherpad", b'["pad:x"]', "not_etherpad"),
        ("pad.etherpad", b'{"pad:x:chat:0": {"text": "bonjour"}}', "not_etherpad"),
        ("pad.etherpad", b'{"pad:x": {"atext": {"text": 3}}}', "not_etherpad"),
        ("pad.etherpad", b'{"pad:x": {"atext": {"text": "\\n", "attribs": "|1+1"}}}', "empty"),
        ("vide.md", b"", "empty"),
        ("blanc.txt", b" \n\t\n", "empty"),
        ("script.html", b"<script>alert(1)</script><style>p{}</style>", "empty"),
        ("notes.docx", b"PK\x03\x04", "unknown_extension"),
        ("notes", b"# Titre", "unknown_extension"),
    ],
)
def test_hostile_input_is_refused(filename: str, data: bytes, reason: str) -> None:
    assert refusal(filename, data).reason == reason
