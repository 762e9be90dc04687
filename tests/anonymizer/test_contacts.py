"""The host's contact list: addresses only, normalised, deduplicated, in order of appearance."""

from __future__ import annotations

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer import harvest_contacts


def test_contacts_from_text() -> None:
    text = (
        "Liste : Marie@Exemple.FR, yann [at] exemple [dot] bzh, 06 12 34 56 78, "
        "@alice@mastodon.social, marie@exemple.fr, jean%40exemple.fr"
    )
    assert harvest_contacts(text) == ["Marie@exemple.fr", "yann@exemple.bzh", "jean@exemple.fr"]


def test_contacts_from_every_shared_type_content_first() -> None:
    client: Doc = Doc()
    client["annexe"] = Map({"inscrits": Array(["b@exemple.fr", "a@exemple.fr"])})
    client["xml"] = XmlFragment(
        [XmlElement("p", {"data-mail": "c@exemple.fr"}, [XmlText("d@exemple.fr")])]
    )
    client["content"] = Text("Contacts : a@exemple.fr puis z@exemple.fr")
    server: Doc = Doc()
    server.apply_update(client.get_update())
    assert harvest_contacts(server) == [
        "a@exemple.fr",
        "z@exemple.fr",
        "b@exemple.fr",
        "c@exemple.fr",
        "d@exemple.fr",
    ]


def test_harvest_reads_without_writing() -> None:
    client: Doc = Doc()
    client["content"] = Text("a@exemple.fr")
    server: Doc = Doc()
    server.apply_update(client.get_update())
    before = server.get_update()
    events = []
    server.observe(events.append)
    harvest_contacts(server)
    assert server.get_update() == before
    assert events == []


def test_consent_is_the_mel_list_when_there_is_one() -> None:
    from anonymizer import consented_contacts

    def doc_of(text: str) -> Doc:
        doc: Doc = Doc()
        doc["content"] = Text(text)
        return doc

    listed = (
        "## mel\n- yann@exemple.bzh\n- Marie <marie@exemple.fr>\n\n## Questions\nÀ jean@ex.fr\n"
    )
    assert consented_contacts(doc_of(listed)) == ["yann@exemple.bzh", "marie@exemple.fr"]
    empty = "## Participants\n- Yann\n\n## e-mail\n\n## Notes\nÀ jean@ex.fr\n"
    assert consented_contacts(doc_of(empty)) == []
    assert consented_contacts(doc_of("À jean@ex.fr\n")) == ["jean@ex.fr"]
