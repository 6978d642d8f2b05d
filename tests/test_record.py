"""The two records kb keeps of a document: the store's JSON (the whole Document, read back exactly)
and the index record (what a hit shows, pages split where the PDF's pages were)."""

from __future__ import annotations

import json

from kb.document import Document, Page, Tag, source_name
from kb.index.record import PAGE_BREAK, StoredRecord, index_fields, sortable_date
from kb.index.store import Store, document_from_record, store_record
from kb.search.hits import hit_from_record
from kb.search.serialize import document_json
from tests.conftest import make_document


def _document() -> Document:
    doc = make_document(
        "https://www.uddevalla.se/dokument/plan.pdf",
        "Handlingsplan",
        ["Första sidan.", f"Andra sidan med ett sidbrytningstecken {PAGE_BREAK} mitt i."],
        date="2022-05",
        doc_type="plan",
        focus_areas=("digital-trygghet",),
        municipalities=("1485",),
        content_type="application/pdf",
    )
    auto = Tag("digital-kompetens", "auto", ("kompetens", "utbildning"), 2.5)
    return doc.with_changes(focus_areas=(*doc.focus_areas, auto), ocr=True, language="sv")


def test_the_store_record_reads_back_exactly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _document()
    assert document_from_record(json.loads(json.dumps(store_record(doc)))) == doc
    store = Store(tmp_path)
    store.save(doc)
    assert store.load(doc.id) == doc


def test_the_index_record_keeps_pages_apart() -> None:
    doc = _document()
    fields = index_fields(doc)
    record = StoredRecord.read({"meta": fields["meta"], "text_z": fields["text_z"]})
    # A page break inside a page's text must not add a page.
    assert len(record.pages()) == 2
    assert record.pages()[1].startswith("Andra sidan")
    assert record.page_numbers == (1, 2)
    assert record.focus_areas == ("digital-trygghet", "digital-kompetens")
    assert fields["focus_area"] == "digital-trygghet,digital-kompetens"
    assert fields["doc_type"] == "plan" and fields["year"] == "2022"
    assert fields["date"] == "2022-05-00" == sortable_date("2022-05")


def test_a_hit_is_built_from_the_record() -> None:
    doc = _document()
    fields = index_fields(doc)
    hit = hit_from_record(StoredRecord.read(fields), "…", 2, 1.5)
    assert (hit.id, hit.title, hit.url, hit.year, hit.page) == (
        doc.id,
        "Handlingsplan",
        doc.source,
        2022,
        2,
    )
    assert hit.source == "uddevalla.se"  # no publisher: the host names the source
    untitled = index_fields(doc.with_changes(title="", publisher="Uddevalla kommun"))
    hit = hit_from_record(StoredRecord.read(untitled), "", None, 0.0)
    assert hit.title == "plan.pdf" and hit.source == "Uddevalla kommun"


def test_one_source_name() -> None:
    assert source_name("https://www.uddevalla.se/x/y.pdf") == "uddevalla.se"
    assert source_name("http://Kommun.Example/") == "kommun.example"
    assert source_name("/home/anna/rapporter/plan.pdf") == "plan.pdf"


def test_the_public_document_keeps_the_stored_fields() -> None:
    doc = _document()
    public = document_json(doc)
    # The public shape kept every field the API sent before it had its own serializer.
    assert set(store_record(doc)) <= set(public)
    assert public["focus_areas"][1] == {
        "value": "digital-kompetens",
        "source": "auto",
        "evidence": ["kompetens", "utbildning"],
        "score": 2.5,
    }
    assert public["pages"] == [{"number": p.number, "text": p.text} for p in doc.pages]
    assert isinstance(doc.pages[0], Page)


def test_page_texts_are_read_from_their_column_in_every_segment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from whoosh import index as whoosh_index

    from kb.index.builds import WRITER_ARGS
    from kb.index.fullbuild import build_index
    from kb.index.schema import build_schema

    docs = [
        make_document(f"https://rec.example/{i}", f"Plan {i}", [f"Sida ett {i}.", f"Sida två {i}."])
        for i in range(5)
    ]
    whoosh_index.create_in(str(tmp_path), build_schema()).close()
    build_index(tmp_path, iter(docs[:3]), segment_docs=2)  # two bulk segments
    ix = whoosh_index.open_dir(str(tmp_path))
    w = ix.writer(**WRITER_ARGS)  # and one written by Whoosh's own writer
    for doc in docs[3:]:
        w.add_document(**index_fields(doc))
    w.commit()
    with ix.searcher() as s:
        for i, doc in enumerate(docs):
            record = StoredRecord.of(s, s.document_number(id=doc.id))
            assert record.id == doc.id
            assert record.pages() == [f"Sida ett {i}.", f"Sida två {i}."]
        # The display data alone does not carry the texts.
        assert "text_z" not in s.stored_fields(0)
    ix.close()
