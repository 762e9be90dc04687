"""`redact_doc` on real pycrdt documents: every shared type, untyped roots, one transaction."""

from __future__ import annotations

import random

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer import Markers, redact, redact_doc
from anonymizer.roots import root_kinds

E = "[adresse retirée]"
P = "[téléphone retiré]"


def remote_copy(doc: Doc) -> Doc:
    """A Doc that knows `doc` only from its update, as the server does: its roots are untyped."""
    copy: Doc = Doc()
    copy.apply_update(doc.get_update())
    return copy


def sync(source: Doc, target: Doc) -> None:
    target.apply_update(source.get_update(target.get_state()))


def rich_doc() -> Doc:
    doc: Doc = Doc()
    doc["content"] = Text("Notes 😀 : jean@exemple.fr 🎉 et 06 12 34 56 78.")
    doc["meta"] = Map(
        {
            "author": "anne@exemple.fr",
            "count": 3,
            "nested": Map({"deeper": Map({"mail": "deep@exemple.fr"}), "list": Array(["x@y.fr"])}),
            "json": {"contacts": ["a@b.fr", {"tel": "+44 20 7946 0958"}]},
            "text": Text("voir paul@exemple.fr"),
            "bob@exemple.fr": "inscrit",
        }
    )
    doc["list"] = Array(
        ["c@d.fr", 42, ["e@f.fr"], {"k": "g@h.fr"}, Text("i@j.fr"), Map({"m": "k@l.fr"})]
    )
    doc["xml"] = XmlFragment(
        [
            XmlElement(
                "p",
                {"title": "t@exemple.fr", "class": "note"},
                [
                    XmlText("écrire à x1@exemple.fr"),
                    XmlElement("a", {"href": "mailto:x2@exemple.fr"}),
                ],
            )
        ]
    )
    return doc


def check_rich_doc_redacted(doc: Doc) -> None:
    assert str(doc.get("content", type=Text)) == f"Notes 😀 : {E} 🎉 et {P}."
    meta = doc.get("meta", type=Map).to_py()
    assert meta == {
        "author": E,
        "count": 3.0,
        "nested": {"deeper": {"mail": E}, "list": [E]},
        "json": {"contacts": [E, {"tel": P}]},
        "text": f"voir {E}",
        E: "inscrit",
    }
    items = doc.get("list", type=Array).to_py()
    assert items == [E, 42.0, [E], {"k": E}, E, {"m": E}]
    xml = str(doc.get("xml", type=XmlFragment))
    assert "exemple.fr" not in xml
    assert f'title="{E}"' in xml and 'class="note"' in xml and f"écrire à {E}" in xml


def test_every_shared_type_is_redacted() -> None:
    doc = rich_doc()
    counts = redact_doc(doc)
    check_rich_doc_redacted(doc)
    assert counts == {"email": 15, "phone": 2}


def test_untyped_roots_from_remote_updates_are_redacted_and_sync_back() -> None:
    client = rich_doc()
    server = remote_copy(client)
    assert all(root is None for root in dict(server.items()).values())
    counts = redact_doc(server)
    assert counts == {"email": 15, "phone": 2}
    sync(server, client)
    check_rich_doc_redacted(client)


def test_redaction_is_one_transaction() -> None:
    server = remote_copy(rich_doc())
    events = []
    server.observe(events.append)
    redact_doc(server, origin="purge")
    assert len(events) == 1


def test_clean_doc_is_left_alone() -> None:
    doc: Doc = Doc()
    doc["content"] = Text("Rien à signaler 😀, rdv @ 17h")
    before = doc.get_update()
    assert redact_doc(doc) == {"email": 0, "phone": 0}
    assert doc.get_update() == before


def test_non_bmp_characters_before_and_inside_addresses() -> None:
    text = '🎉😀 "jean 😀 dupont"@exemple.fr 🐧 𝒳 marie@exemple.fr 🇫🇷 fin'
    doc: Doc = Doc()
    doc["content"] = Text(text)
    redact_doc(doc)
    assert str(doc["content"]) == f"🎉😀 {E} 🐧 𝒳 {E} 🇫🇷 fin"
    assert str(doc["content"]) == redact(text)


def test_markers_can_be_chosen() -> None:
    doc: Doc = Doc()
    doc["content"] = Text("a@b.fr")
    redact_doc(doc, Markers(email="<removed>"))
    assert str(doc["content"]) == "<removed>"


def test_formatting_attributes_and_embeds_are_redacted() -> None:
    doc: Doc = Doc()
    doc["rich"] = text = Text("écrire ici, ")
    text.format(0, len("écrire".encode()), {"link": "mailto:fmt@exemple.fr", "bold": True})
    text.insert_embed(len(text), {"image": "x.png", "alt": "alt@exemple.fr"})
    text.insert(len(text), " ou emb@exemple.fr")
    counts = redact_doc(doc)
    assert counts == {"email": 3, "phone": 0}
    chunks = text.diff()
    assert chunks[0] == ("écrire", {"link": f"mailto:{E}", "bold": True})
    assert {"image": "x.png", "alt": E} in [content for content, _ in chunks]
    assert str(text).endswith(f" ou {E}")


def test_concurrent_edits_elsewhere_survive_the_redaction() -> None:
    server: Doc = Doc()
    server["content"] = Text("Début. jean@exemple.fr. Fin.")
    client = remote_copy(server)
    redact_doc(server)
    client_text = client.get("content", type=Text)
    client_text.insert(0, "Titre\n")
    client_text.insert(len(client_text), " Merci !")
    sync(client, server)
    sync(server, client)
    assert str(server["content"]) == f"Titre\nDébut. {E}. Fin. Merci !"
    assert str(client_text) == str(server["content"])


def test_text_typed_character_by_character_by_several_clients() -> None:
    rng = random.Random(5)
    clients: list[Doc] = [Doc(), Doc(), Doc()]
    texts = [client.get("content", type=Text) for client in clients]
    script = "Notes : jean.dupont@exemple.fr et anne@exemple.bzh, tél 06 12 34 56 78. "
    for position, character in enumerate(script * 3):
        writer = position % 3
        text = texts[writer]
        text.insert(len(text), character)
        if rng.random() < 0.1 and len(text) > 2:
            index = len(str(text)) - 2
            removed = str(text)[index]
            offset = len(str(text)[:index].encode())
            del text[offset : offset + len(removed.encode())]
            text.insert(offset, removed)
        for other in clients:
            if other is not clients[writer]:
                sync(clients[writer], other)
    texts[0].insert(0, "X")
    del texts[0][0:1]
    server = remote_copy(clients[0])
    before = str(texts[0])
    assert "jean.dupont@exemple.fr" in before
    counts = redact_doc(server)
    assert counts == {"email": 6, "phone": 3}
    assert str(server.get("content", type=Text)) == redact(before)


def test_root_kind_of_a_text_whose_first_character_was_deleted() -> None:
    doc: Doc = Doc()
    doc["t"] = text = Text()
    for character in "xjean@exemple.fr":
        text.insert(len(text), character)
    other = remote_copy(doc)
    other.get("t", type=Text).insert(0, "Z")
    sync(other, doc)
    del text[0:2]
    assert root_kinds(doc.get_update()) == {"t": "text"}
    server = remote_copy(doc)
    redact_doc(server)
    assert str(server.get("t", type=Text)) == E


def _marker_inserts(count: int) -> tuple[int, str]:
    """Redact a text with `count` addresses; return (inserts in the change event, the text)."""
    doc = Doc()
    text = doc.get("content", type=Text)
    source = "".join(f"Ligne {i} : personne{i}@exemple.bzh, merci.\n" for i in range(count))
    text.insert(0, source)
    deltas = []
    text.observe(lambda event: deltas.append(event.delta))
    redact_doc(doc)
    assert str(text) == redact(source)
    [delta] = deltas
    return sum("insert" in op for op in delta), str(text)


def test_separate_edits_up_to_the_limit_then_one_span() -> None:
    from anonymizer.document import MAX_SEPARATE_EDITS

    inserts, _ = _marker_inserts(MAX_SEPARATE_EDITS)
    assert inserts == MAX_SEPARATE_EDITS
    inserts, _ = _marker_inserts(MAX_SEPARATE_EDITS + 1)
    assert inserts == 1
