"""The purged state: redacted notes that every copy converges on, and nothing else of the old
document's structure (keys, root names, tags, attributes, sub-documents, binary), at any depth."""

from __future__ import annotations

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from anonymizer.folding import fold_name
from anonymizer.names import NamesPlan, names_plan
from anonymizer.purged import purged_doc, purged_with_plan

ADDRESSES = {
    "key": "cle.carte@exemple.bzh",
    "deleted_key": "supprime.cle@exemple.bzh",
    "root": "racine.nom@exemple.bzh",
    "tag": "balise.xml@exemple.bzh",
    "attribute": "attribut.nom@exemple.bzh",
    "value": "attribut.valeur@exemple.bzh",
    "guid": "sous.document@exemple.bzh",
    "binary": "binaire.valeur@exemple.bzh",
    "format": "format.nom@exemple.bzh",
    "text": "texte.notes@exemple.bzh",
    "deep": "tout.au.fond@exemple.bzh",
}


def hostile_doc() -> Doc:
    doc = Doc()
    text = doc.get("content", type=Text)
    text.insert(0, f"Notes : écrire à {ADDRESSES['text']} merci\n")
    text.format(0, 5, {ADDRESSES["format"]: True})
    meta = doc.get("meta", type=Map)
    meta[ADDRESSES["key"]] = "v"
    meta[ADDRESSES["deleted_key"]] = 1
    del meta[ADDRESSES["deleted_key"]]
    meta["bin"] = ADDRESSES["binary"].encode()
    meta["sub"] = Doc(guid=ADDRESSES["guid"])
    meta["list"] = Array(["garder", {"ok": 1}])
    doc.get(ADDRESSES["root"], type=Map)["a"] = 1
    xml = doc.get("xml", type=XmlFragment)
    element = xml.children.append(XmlElement(ADDRESSES["tag"]))
    element.attributes[ADDRESSES["attribute"]] = ADDRESSES["value"]
    element.children.append(XmlText("dedans"))
    deep = doc.get("deep", type=Map)
    for _ in range(300):
        deep["n"] = Map()
        deep = deep["n"]
    deep["fond"] = ADDRESSES["deep"]
    return doc


def leaks(state: bytes) -> list[str]:
    return [place for place, value in ADDRESSES.items() if value.split("@")[0].encode() in state]


def test_nothing_of_any_address_survives_in_the_purged_state() -> None:
    doc = hostile_doc()
    assert len(leaks(doc.get_update())) == len(ADDRESSES)
    clean, counts = purged_doc(doc, None, 32)
    assert leaks(clean.get_update()) == []
    assert counts["email"] >= 7
    assert counts["nested"] == 1 and counts["binary"] == 1
    assert str(clean.get("content", type=Text)) == "Notes : écrire à [adresse retirée] merci\n"
    assert clean.get("meta", type=Map).to_py() == {
        "[adresse retirée]": "v",
        "list": ["garder", {"ok": 1.0}],
    }
    assert str(clean.get("xml", type=XmlFragment)).startswith("<[adresse retirée] ")
    assert "[adresse retirée]" in dict(clean.items())
    assert len(leaks(doc.get_update())) == len(ADDRESSES), "the source document is left alone"


def test_an_old_copy_converges_on_the_purged_notes() -> None:
    """A client that was offline during the purge merges the purged state into its copy:
    the redaction reaches its text, and the old structure is deleted from it."""
    original = hostile_doc()
    offline = Doc()
    offline.apply_update(original.get_update())
    clean, _ = purged_doc(original, None, 32)
    offline.apply_update(clean.get_update())
    assert str(offline.get("content", type=Text)) == str(clean.get("content", type=Text))
    assert offline.get("meta", type=Map).to_py() == clean.get("meta", type=Map).to_py()
    merged = Doc()
    merged.apply_update(clean.get_update())
    merged.apply_update(offline.get_update())
    assert str(merged.get("content", type=Text)) == str(clean.get("content", type=Text))


def test_a_purged_state_purges_to_itself() -> None:
    clean, _ = purged_doc(hostile_doc(), None, 32)
    again, counts = purged_doc(clean, None, 32)
    assert str(again.get("content", type=Text)) == str(clean.get("content", type=Text))
    assert not any(value for kind, value in counts.items() if kind in {"email", "phone"})


def test_a_pad_of_plain_notes_keeps_its_text_and_formatting_of_nothing_else() -> None:
    doc = Doc()
    doc.get("content", type=Text).insert(0, "Rien à retirer ici.\n")
    clean, counts = purged_doc(doc, None, 32)
    assert str(clean.get("content", type=Text)) == "Rien à retirer ici.\n"
    assert counts == {"email": 0, "phone": 0}


def names_in_structure() -> Doc:
    """Notes that name two attendees, and a client that wrote names into the structure: a map
    key and value, an array, an XML tag, attribute and text, a root's name."""
    doc = Doc()
    doc.get("content", type=Text).insert(
        0, "Katell demande la durée du compostage. Gwenola Tanguy\n"
    )
    meta = doc.get("meta", type=Map)
    meta["Katell Le Bihan"] = "merci à Gwenola"
    meta["auteurs"] = Array(["Ewen Trégoat", {"signé": "KLB"}])
    xml = doc.get("xml", type=XmlFragment)
    element = xml.children.append(XmlElement("Tanguy"))
    element.attributes["par"] = "Ronan Le Floch"
    element.children.append(XmlText("Ronan Le Floch a parlé ensuite."))
    doc.get("Ewen", type=Map)["a"] = 1
    return doc


def test_names_written_in_the_structure_go_with_the_notes_names_under_one_pseudonym() -> None:
    doc = names_in_structure()
    known = ("Katell Le Bihan", "Ewen Trégoat")

    def plan_for(text: str) -> NamesPlan:
        return names_plan(text, known=known, use_model=False)

    clean, counts, plan, redact = purged_with_plan(
        doc.get_update(), None, 32, plan_for, beside=("Webinaire avec Ronan Le Floch",)
    )
    state = clean.get_update()
    for piece in (
        "Katell",
        "Bihan",
        "KLB",
        "Gwenola",
        "Tanguy",
        "Ewen",
        "Trégoat",
        "Ronan",
        "Floch",
    ):
        assert piece.encode() not in state, piece
    assert plan is not None
    katell = plan.replacements[fold_name("Katell Le Bihan")]
    assert katell.encode() in state
    meta = clean.get("meta", type=Map)
    assert meta[katell] == f"merci à {plan.replacements[fold_name('Gwenola Tanguy')]}"
    title, found = redact("Webinaire avec Ronan Le Floch")
    assert "Ronan" not in title and found["name"] == 1
    assert counts["name"] >= 8


def test_without_a_plan_the_structure_loses_addresses_only() -> None:
    doc = names_in_structure()
    clean, _, plan, _ = purged_with_plan(doc.get_update(), None, 32, None)
    assert plan is None
    assert b"Katell Le Bihan" in clean.get_update()


def test_a_names_plan_reads_the_hostile_structure_and_leaves_no_address() -> None:
    """The purge with names reads every string of the other roots to plan them (`Beside`): the
    hostile document (300 levels deep, binary, a sub-document) purges as cleanly as without."""
    clean, counts, _, _ = purged_with_plan(
        hostile_doc().get_update(), None, 32, lambda text: names_plan(text, use_model=False)
    )
    assert leaks(clean.get_update()) == []
    assert counts["nested"] == 1 and counts["binary"] == 1
