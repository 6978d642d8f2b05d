"""A rebuild's bulk segments (kb.index.bulk) are the files Whoosh's own writer makes, and a rebuild
cut into several segments finds what one segment finds."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from kb.config import Settings
from kb.index.builds import WRITER_ARGS
from kb.index.bulk import BulkWriter
from kb.index.fullbuild import build_index
from kb.index.record import index_fields
from kb.index.schema import build_schema
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import make_document

TEXTS = [
    ("Digitaliseringsstrategi för kommunerna", "Kommunen antar en digitaliseringsstrategi. " * 3),
    ("E-tjänster och e-arkiv", "Och SKR:s e-tjänsterna, e‐arkivet och IT-chefens bygglovsprocess."),
    ("Äldreomsorgen", "Välfärdsteknik i äldreomsorgen: trygghetslarm, hemtjänst och aldreomsorg."),
    ("Tomt", ""),
]


def _documents(n: int) -> list:
    docs = []
    for i in range(n):
        title, body = TEXTS[i % len(TEXTS)]
        # Enough repeats that common terms fill several 128-posting blocks.
        docs.append(
            make_document(f"https://bulk.example/{i}", f"{title} {i}", f"{body} ord{i % 7}")
        )
    return docs


def _segment_files(path: Path) -> dict[str, bytes]:
    out = {}
    for f in path.iterdir():
        if f.name.startswith("MAIN_") and f.suffix in (".pst", ".trm", ".col"):
            out[f.name.split(".", 1)[1]] = f.read_bytes()
    return out


def test_bulk_segment_is_byte_identical_to_whooshs_writer(tmp_path: Path) -> None:
    docs = [index_fields(d) for d in _documents(300)]
    files = {}
    for kind in ("whoosh", "bulk"):
        path = tmp_path / kind
        path.mkdir()
        ix = whoosh_index.create_in(str(path), build_schema())
        w = ix.writer(**WRITER_ARGS) if kind == "whoosh" else BulkWriter(ix)
        for fields in docs:
            w.add_document(**fields)
        w.commit()
        ix.close()
        files[kind] = _segment_files(path)
    assert set(files["bulk"]) == set(files["whoosh"])
    assert {"pst", "trm", "_stored.col", "_body_len.col", "_title_len.col"} <= set(files["bulk"])
    for name, data in files["whoosh"].items():
        assert files["bulk"][name] == data, name


def test_rebuild_in_several_segments_searches_like_one(tmp_path: Path) -> None:
    docs = _documents(90)
    results = {}
    for segs in (1000, 25):
        kb = KnowledgeBase.open(Settings.from_env(data_dir=tmp_path / f"s{segs}"))
        target = kb.index.index_dir / "manual"
        whoosh_index.create_in(str(target.mkdir() or target), build_schema())
        assert build_index(target, iter(docs), segment_docs=segs) == 90
        ix = whoosh_index.open_dir(str(target))
        assert len(ix._segments()) == (1 if segs == 1000 else 4)
        assert ix.doc_count() == 90
        with ix.searcher() as s:
            results[segs] = {
                t: s.doc_frequency("body", t) for t in ("kommun", "e-tjänst", "äldreomsorg")
            }
        ix.close()
        kb.close()
    assert results[1000] == results[25]
    assert results[25]["kommun"] > 0


def test_rebuild_finds_the_documents(tmp_path: Path) -> None:
    kb = KnowledgeBase.open(Settings.from_env(data_dir=tmp_path / "data"))
    try:
        kb.index.rebuild(iter(_documents(40)))
        assert kb.search(SearchRequest(q="äldreomsorg")).total == 10
        assert kb.search(SearchRequest(q='"e-tjänster och e-arkiv"')).total == 10
    finally:
        kb.close()


def test_two_process_build_keeps_document_order(tmp_path: Path) -> None:
    docs = _documents(60)
    found = {}
    for procs in (1, 2):
        target = tmp_path / f"p{procs}"
        target.mkdir()
        whoosh_index.create_in(str(target), build_schema())
        assert build_index(target, docs, procs=procs, segment_docs=20) == 60
        assert not (target / ".spool-first-half").exists()
        ix = whoosh_index.open_dir(str(target))
        with ix.searcher() as s:
            found[procs] = (
                [s.stored_fields(n)["id"] for n in range(s.doc_count_all())],
                sorted(s.reader().all_terms()),
            )
        ix.close()
    assert found[2][0] == [d.id for d in docs]
    assert found[2] == found[1]


def test_two_processes_each_writing_several_segments(tmp_path: Path) -> None:
    # Both processes start and finish segments while the other is writing (found at 100,000
    # documents: a shared temporary folder removed under the other process's writer).
    docs = _documents(400)
    target = tmp_path / "many"
    target.mkdir()
    whoosh_index.create_in(str(target), build_schema())
    assert build_index(target, docs, procs=2, segment_docs=15) == 400
    assert not (target / ".first-half").exists()
    ix = whoosh_index.open_dir(str(target))
    try:
        assert len(ix._segments()) == 28
        with ix.searcher() as s:
            assert [s.stored_fields(n)["id"] for n in range(s.doc_count_all())] == [
                d.id for d in docs
            ]
            assert s.doc_frequency("body", "kommun") == 100
    finally:
        ix.close()
