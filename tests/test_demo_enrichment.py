"""Out-of-sample check of automatic tagging: the demo corpus, written independently of the rules.

The demo documents were written by another engineer than the enrichment rules, each with the
metadata it was meant to carry (scripts/make_demo_corpus.py, ``intended``). Ingested through the
real `kb ingest`, the automatic tags must agree; the figures are in docs/enrichment.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.config import Settings
from kb.document import Document
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy
from kbcli.main import cli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from make_demo_corpus import load_sources  # noqa: E402

TAXONOMY = Taxonomy.load()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    data = tmp_path_factory.mktemp("demo")
    manifest = ROOT / "corpus" / "demo" / "manifest.jsonl"
    result = CliRunner().invoke(
        cli, ["ingest", "--manifest", str(manifest), "--data-dir", str(data)]
    )
    assert result.exit_code == 0, result.output
    urls = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        urls[row["path"]] = row.get("url")
    with KnowledgeBase.open(Settings(data_dir=data)) as kb:
        by_source = {d.source: d for d in kb.store}
    return {s.output: by_source[urls[s.output]] for s in load_sources()}


def test_municipalities_found_as_intended(ingested: dict[str, Document]) -> None:
    tp = fp = fn = 0
    for source in load_sources():
        want = set(source.intended().municipalities)
        allowed = want | set(source.intended().mentioned)
        got = set(ingested[source.output].values("municipalities"))
        tp, fp, fn = tp + len(got & want), fp + len(got - allowed), fn + len(want - got)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.85


def test_focus_areas_and_document_types_mostly_agree(ingested: dict[str, Document]) -> None:
    tp = fp = fn = types_right = 0
    sources = load_sources()
    for source in sources:
        intended = source.intended()
        doc = ingested[source.output]
        got, want = set(doc.values("focus_areas")), set(intended.focus_areas)
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        # The intended metadata uses the six core types; a kallelse counts as a decision.
        types_right += TAXONOMY.doc_types[doc.doc_type.value].core == intended.doc_type
        assert all(t.source == "auto" and t.evidence for t in doc.focus_areas)
    # Floors a little under the figures measured on 2026-11-23 (docs/enrichment.md).
    assert tp / (tp + fp) >= 0.85
    assert tp / (tp + fn) >= 0.65
    assert types_right / len(sources) >= 0.7


def test_no_demo_page_keeps_its_site_menu(ingested: dict[str, Document]) -> None:
    # The legacy table template's menu ("Startsida | Kontakt | Sök | Webbkarta", "Bygga & bo")
    # and footer ("Växel", "Sidansvarig") led three pages' text, so their snippets and leads
    # began with the menu (docs/extraction.md, "Menus that say nothing about being menus").
    for source in load_sources():
        doc = ingested[source.output]
        if source.output.endswith(".html"):
            for furniture in ("Bygga & bo", "Webbkarta", "Sidansvarig"):
                assert furniture not in doc.text, (source.output, furniture)
            assert "Bygga & bo" not in doc.summary, source.output
