"""Curated corrections: they win over automatic tags, survive re-ingest, reindex and taxonomy
changes, keep their history and can be reverted (kb.curation, `kb edit`, the pipeline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.fetch.download import FetchOptions
from ingest.model import Overrides
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import Settings
from kb.document import document_id
from kb.errors import NotFoundError, ValidationError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.ingest_support import make_pdf

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = IngestOptions(delay=0.0, fetch=FetchOptions(timeout=1.0, deadline=5.0))
TEXT = [
    "Uddevalla kommun antar en handlingsplan för e-arkiv och digital arkivering.",
    "Arbetet med e-arkivet pågår under 2024 i kommunens förvaltningar.",
]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "handlingsplan.pdf"
    path.parent.mkdir()
    path.write_bytes(make_pdf(TEXT, title="Handlingsplan för e-arkiv"))
    return path


def ids_with(kb: KnowledgeBase, facet: str, value: str) -> set[str]:
    result = kb.search(SearchRequest(filters={facet: (value,)}, page_size=50))
    return {hit.id for hit in result.hits}


def test_a_correction_wins_survives_reingest_and_reindex_and_can_be_reverted(
    kb: KnowledgeBase, plan: Path
) -> None:
    run(kb, resolve([str(plan)]), OPTIONS)
    doc_id = document_id(str(plan))
    automatic = kb.document(doc_id)
    assert "1485" in automatic.values("municipalities")  # Uddevalla, found automatically
    kb.curator.edit(
        doc_id,
        {"focus_areas": ["digital ledning"], "concerns": ["Borås"], "date": "2021-3"},
        by="anna",
    )
    shown = kb.document(doc_id)
    assert shown.values("focus_areas") == ("digitalt-ledarskap",)
    assert shown.values("municipalities") == ("1490",)
    assert (shown.date, shown.date_source) == ("2021-03", "given")
    assert shown.focus_areas[0].evidence[0].startswith("rättad av redaktör")
    assert doc_id in ids_with(kb, "focus_area", "digitalt-ledarskap")
    assert doc_id in ids_with(kb, "municipality", "1490")
    assert doc_id not in ids_with(kb, "municipality", "1485")

    # A forced re-ingest re-extracts and re-tags; a reindex rebuilds from the store: the
    # correction stays, and the store keeps what ingest found.
    again = run(kb, resolve([str(plan)]), IngestOptions(delay=0.0, force=True))
    assert [o.status for o in again.outcomes] == ["updated"]
    assert kb.reindex() == 1
    assert kb.document(doc_id).values("focus_areas") == ("digitalt-ledarskap",)
    assert doc_id in ids_with(kb, "municipality", "1490")
    assert kb.curator.automatic(doc_id).values("municipalities") == automatic.values(
        "municipalities"
    )
    assert kb.check() == ([], [])  # the index is exactly store + corrections

    history = kb.curator.history(doc_id)
    assert [(h.action, h.field, h.by) for h in history] == [
        ("set", "focus_areas", "anna"),
        ("set", "municipalities", "anna"),
        ("set", "date", "anna"),
    ]
    assert history[1].old == automatic.values("municipalities") and history[1].new == ("1490",)

    kb.curator.revert(doc_id, "municipality", by="bo")
    assert kb.document(doc_id).values("municipalities") == automatic.values("municipalities")
    assert doc_id in ids_with(kb, "municipality", "1485")
    last = kb.curator.history(doc_id)[-1]
    assert (last.action, last.field, last.by, last.old) == (
        "revert",
        "municipalities",
        "bo",
        ("1490",),
    )
    with pytest.raises(ValidationError, match="municipalities"):
        kb.curator.revert(doc_id, "municipalities")


def test_bad_values_and_unknown_documents_are_refused_before_anything_is_written(
    kb: KnowledgeBase, plan: Path
) -> None:
    run(kb, resolve([str(plan)]), OPTIONS)
    doc_id = document_id(str(plan))
    with pytest.raises(ValidationError, match="fiske"):
        kb.curator.edit(doc_id, {"title": "Ny titel", "focus_areas": ["fiske"]})
    with pytest.raises(ValidationError, match="Atlantis"):
        kb.curator.edit(doc_id, {"municipalities": ["Atlantis"]})
    with pytest.raises(ValidationError, match="2023-13"):
        kb.curator.edit(doc_id, {"date": "2023-13"})
    with pytest.raises(ValidationError, match="color"):
        kb.curator.edit(doc_id, {"color": "blå"})
    with pytest.raises(NotFoundError, match="0123456789abcdef"):
        kb.curator.edit("0123456789abcdef", {"title": "X"})
    assert kb.document(doc_id).title == "Handlingsplan för e-arkiv"  # nothing half-written
    assert kb.curator.history(doc_id) == ()


def test_ingest_flags_become_corrections_a_plain_reingest_keeps(
    kb: KnowledgeBase, plan: Path
) -> None:
    given = Overrides(focus_areas=("digital-trygghet",), doc_type="Vägledning")
    first = run(kb, resolve([str(plan)], given), IngestOptions(delay=0.0, by="importen"))
    assert [o.status for o in first.outcomes] == ["added"]
    doc_id = document_id(str(plan))
    assert kb.document(doc_id).values("focus_areas") == ("digital-trygghet",)
    plain = run(kb, resolve([str(plan)]), OPTIONS)
    assert [o.status for o in plain.outcomes] == ["unchanged"]
    forced = run(kb, resolve([str(plan)]), IngestOptions(delay=0.0, force=True))
    assert [o.status for o in forced.outcomes] == ["updated"]
    doc = kb.document(doc_id)
    assert doc.values("focus_areas") == ("digital-trygghet",) and doc.doc_type.value == "guide"
    assert {h.by for h in kb.curator.history(doc_id)} == {"importen"}
    # The same flags again change nothing; new flags on the same bytes need no extraction.
    same = run(kb, resolve([str(plan)], given), OPTIONS)
    assert [o.status for o in same.outcomes] == ["unchanged"]
    other = run(kb, resolve([str(plan)], Overrides(regions=("Fyrbodal",))), OPTIONS)
    assert [(o.status, o.reason) for o in other.outcomes] == [
        ("updated", "rättade uppgifter / corrected metadata")
    ]
    assert doc_id in ids_with(kb, "region", "fyrbodal")


def test_a_value_the_taxonomy_drops_is_left_out_and_returns_with_it(
    tmp_path: Path, plan: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "taxonomy", corpus / "taxonomy")
    data = tmp_path / "data"
    with KnowledgeBase.open(Settings(data_dir=data, corpus_dir=corpus)) as kb:
        run(kb, resolve([str(plan)]), OPTIONS)
        doc_id = document_id(str(plan))
        kb.curator.edit(doc_id, {"regions": ["Sjuhärad", "Fyrbodal"]})
    # A new taxonomy without one of the regions (a council that merged into another).
    shutil.copytree(corpus, tmp_path / "corpus2")
    path = tmp_path / "corpus2" / "taxonomy" / "regions.toml"
    head, *blocks = path.read_text(encoding="utf-8").split("[[region]]")
    kept = [b for b in blocks if 'id = "sjuharad"' not in b]
    path.write_text("[[region]]".join([head, *kept]), encoding="utf-8")
    with KnowledgeBase.open(Settings(data_dir=data, corpus_dir=tmp_path / "corpus2")) as kb:
        kb.reindex()
        assert kb.document(doc_id).values("regions") == ("fyrbodal",)
        assert kb.check() == ([], [])
        assert kb.curator.get(doc_id).corrections["regions"].value == ("sjuharad", "fyrbodal")
    # Back on the old taxonomy, the correction shows in full again.
    with KnowledgeBase.open(Settings(data_dir=data, corpus_dir=corpus)) as kb:
        kb.reindex()
        assert kb.document(doc_id).values("regions") == ("sjuharad", "fyrbodal")


def test_kb_edit_revert_and_history(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KB_DATA_DIR", raising=False)
    runner = CliRunner()
    data = str(tmp_path / "data")

    def kb(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, [args[0], "--data-dir", data, *args[1:]])
        return result.exit_code, result.output

    assert kb("ingest", str(plan), "--delay", "0")[0] == 0
    code, out = kb("edit", str(plan))  # nothing to do: said in Swedish and English
    assert code == 2 and "give what to correct" in out
    code, out = kb(
        "edit", str(plan), "--focus-area", "digitalt-ledarskap", "--municipality", "Vara",
        "--title", "Arkivplan", "--type", "plan", "--by", "karin",
    )  # fmt: skip
    assert code == 0, out
    assert "focus_areas: [digitalt-ledarskap]" in out and "karin" in out
    listed = json.loads(kb("list", "--json")[1].splitlines()[0])
    assert listed["title"] == "Arkivplan" and listed["municipalities"] == ["1470"]
    assert "focus_areas" not in listed["auto"]
    code, out = kb("edit", document_id(str(plan)), "--revert", "title")
    assert code == 0 and "Handlingsplan för e-arkiv" in out
    code, out = kb("edit", str(plan), "--history")
    assert "karin  set title: None" not in out
    assert "karin  set title: 'Handlingsplan för e-arkiv' -> 'Arkivplan'" in out
    assert "revert title: 'Arkivplan' -> 'Handlingsplan för e-arkiv'" in out
    code, out = kb("edit", str(plan), "--focus-area", "fiske")
    assert code == 1 and "fiske" in out and "Traceback" not in out
    code, out = kb("edit", "ingen-sadan", "--title", "X")
    assert code == 1 and "ingen-sadan" in out

    # A withdrawn, hidden document is brought back by hand with --restore.
    with KnowledgeBase.open(Settings(data_dir=Path(data))) as base:
        base.curator.withdraw(document_id(str(plan)), "HTTP 404", "webben", hidden=True)
        assert base.search(SearchRequest(q="e-arkiv")).total == 0
    code, out = kb("edit", str(plan), "--history")
    assert "hide status: 'withdrawn' -> 'hidden'" not in out and "hide status" in out
    code, out = kb("edit", str(plan), "--restore", "--by", "karin")
    assert code == 0 and "withdrawn" not in out, out
    with KnowledgeBase.open(Settings(data_dir=Path(data))) as base:
        assert base.search(SearchRequest(q="e-arkiv")).total == 1
