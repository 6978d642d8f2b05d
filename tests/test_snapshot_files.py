"""Snapshot arrays written beside the index and memory-mapped by every process that searches it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.config import Settings
from kb.search import snapshot_files
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from tests.conftest import add_documents, make_document


def _docs(start: int, n: int) -> list:
    return [
        make_document(
            f"https://snap.example/{i}",
            f"Bygglov {i}",
            "Kommunen handlägger bygglov och e-tjänster.",
            municipalities=("Borås",) if i % 2 else ("Alingsås",),
            focus_areas=("e-forvaltning",),
        )
        for i in range(start, start + n)
    ]


def _mapped(array: np.ndarray) -> bool:
    """Whether ``array`` reads a memory-mapped file (a plain view over the mapping is)."""
    return isinstance(array, np.memmap) or isinstance(array.base, np.memmap)


def _snapshot_dirs(kb: KnowledgeBase) -> list[str]:
    return sorted(p.name for p in kb.index.current_dir().glob("snapshot-*"))


def test_second_process_maps_the_arrays_the_first_wrote(tmp_path: Path) -> None:
    settings = Settings.from_env(data_dir=tmp_path / "data")
    first = KnowledgeBase.open(settings)
    second = KnowledgeBase.open(settings)
    try:
        add_documents(first, _docs(0, 6))
        counts = first.search(SearchRequest(q="bygglov")).facets
        assert len(_snapshot_dirs(first)) == 1
        # Another process (here: another KnowledgeBase) reads the files instead of the index.
        assert second.search(SearchRequest(q="bygglov")).facets == counts
        snap = next(iter(second._snapshots.values()))
        assert _mapped(snap.live)
        assert _mapped(snap.lengths["body"])
        assert _mapped(snap.facets["municipality"].doc_idx)
        assert snap.live_count == 6
    finally:
        first.close()
        second.close()


def test_each_commit_writes_its_generation_and_old_ones_go(tmp_path: Path) -> None:
    kb = KnowledgeBase.open(Settings.from_env(data_dir=tmp_path / "data"))
    try:
        for batch in range(4):
            add_documents(kb, _docs(batch * 3, 3))
            result = kb.search(SearchRequest(q="bygglov"))
            assert result.total == 3 * (batch + 1)
        dirs = _snapshot_dirs(kb)
        assert len(dirs) == 2  # the newest two generations
        with kb.writer() as w:
            w.remove(_docs(0, 1)[0].id)
        assert kb.search(SearchRequest(q="bygglov")).total == 11
        assert len(_snapshot_dirs(kb)) == 2
        assert _snapshot_dirs(kb) != dirs
    finally:
        kb.close()


def test_a_full_disk_costs_only_the_sharing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshot_files.np, "save", full)
    kb = KnowledgeBase.open(Settings.from_env(data_dir=tmp_path / "data"))
    try:
        add_documents(kb, _docs(0, 4))
        assert kb.search(SearchRequest(q="bygglov")).total == 4
        build = kb.index.current_dir()
        assert _snapshot_dirs(kb) == []
        assert not [p for p in build.iterdir() if p.name.startswith(".snapshot-")]
    finally:
        kb.close()
