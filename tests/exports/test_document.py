from pycrdt import Doc, Map, Text

from exports import PadDocument, document_from_ydoc


def test_snapshot_reads_the_content_text_and_the_whole_state(doc_with_extras: Doc) -> None:
    pad = document_from_ydoc(doc_with_extras, id="p1", title="T", state="closed")

    assert pad.content == str(doc_with_extras.get("content", type=Text))
    fresh = Doc()
    fresh.apply_update(pad.yjs_update)
    assert str(fresh.get("content", type=Text)) == pad.content
    assert fresh.get("comments", type=Map).to_py() == {"c1": "À relire"}


def test_snapshot_of_an_empty_pad() -> None:
    pad = document_from_ydoc(Doc(), id="p1", title="", state="scheduled")

    assert pad == PadDocument(
        id="p1",
        title="",
        starts_at=None,
        ends_at=None,
        state="scheduled",
        content="",
        yjs_update=pad.yjs_update,
        purge_counts={},
    )


def test_snapshot_is_independent_of_later_edits(make_pad) -> None:
    doc = Doc()
    text = doc.get("content", type=Text)
    text += "avant"
    pad = make_pad(doc=doc, purge_counts={"email": 1})
    text += " après"

    assert pad.content == "avant"
    assert pad.purge_counts == {"email": 1}
