"""`kb check` names every difference between store and index; `--repair` fixes them; a document in
the store but not in the index is never "unchanged" to ingest."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from whoosh import index as whoosh_index

from kb.document import document_id
from kb.index.record import index_fields
from kb.index.store import Store
from kbcli.main import cli
from tests.consistency import compare, index_entries, indexed_ids, stored_ids


def _live(data: Path) -> whoosh_index.Index:
    build = (data / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    return whoosh_index.open_dir(str(data / "index" / build))


def _ingest(data: Path, *args: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(
        cli, ["ingest", *args, "--delay", "0", "--json", "--data-dir", str(data)]
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if '"source"' in line]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(4):
        text = f"Beslut {i} om e-tjänster\nKungälvs kommun inför e-tjänst {i}."
        (folder / f"b{i}.txt").write_text(text, encoding="utf-8")
    return folder


def test_document_missing_from_index_is_never_unchanged(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path)
    _ingest(data, str(folder))
    lost = document_id(str(folder / "b1.txt"))
    ix = _live(data)
    with ix.writer() as w:  # the state the old remove/ingest race left: stored, not indexed
        w.delete_by_term("id", lost)
    ix.close()
    assert lost in stored_ids(data) and lost not in indexed_ids(data)
    statuses = {o["source"]: o["status"] for o in _ingest(data, str(folder))}
    assert statuses[str(folder / "b1.txt")] == "updated"
    assert [s for p, s in statuses.items() if not p.endswith("b1.txt")] == ["unchanged"] * 3
    assert compare(data) == set()
    found = CliRunner().invoke(cli, ["search", "e-tjänst 1", "--data-dir", str(data)]).stdout
    assert "Beslut 1 om e-tjänster" in found


def test_check_names_each_difference_and_repair_fixes_them(tmp_path: Path) -> None:
    data, folder = tmp_path / "data", _folder(tmp_path)
    _ingest(data, str(folder))
    ids = [document_id(str(folder / f"b{i}.txt")) for i in range(4)]
    store = Store(data / "store")
    ghost = store.load(ids[3]).with_changes(id="ghost0000000000", source="https://x.se/g")
    stale = store.load(ids[2]).with_changes(title="Gammal rubrik")
    ix = _live(data)
    with ix.writer() as w:
        w.delete_by_term("id", ids[0])  # missing-from-index
        w.add_document(**index_fields(ghost))  # not-in-store
        w.add_document(**index_fields(store.load(ids[1])))  # duplicate-in-index
        w.update_document(**index_fields(stale))  # stale-in-index
    ix.close()
    expected = {
        ("missing-from-index", ids[0]),
        ("not-in-store", "ghost0000000000"),
        ("duplicate-in-index", ids[1]),
        ("stale-in-index", ids[2]),
    }
    assert compare(data) == expected  # the independent comparison agrees on the damage
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert {tuple(line.split()[:2]) for line in result.stdout.splitlines()} == expected
    repaired = CliRunner().invoke(cli, ["check", "--repair", "--data-dir", str(data)])
    assert repaired.exit_code == 0, repaired.output
    assert compare(data) == set()
    assert sorted(str(e["id"]) for e in index_entries(data)) == sorted(ids)
    again = CliRunner().invoke(cli, ["check", "--data-dir", str(data)])
    assert again.exit_code == 0 and "stämmer" in again.stdout
