"""bench/load_bench.py: its load run ingests into the data folder only when told it may."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import load_bench


def test_load_refuses_to_ingest_into_a_data_folder_without_write_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[tuple[Path, int]] = []

    def load(data: Path, clients: int, requests: int, docs: int) -> dict[str, object]:
        ran.append((data, docs))
        return {}

    monkeypatch.setattr(load_bench, "load", load)
    shared = tmp_path / "shared-index"
    # The ingest would add 300 documents to someone's index for good: refused, nothing started.
    with pytest.raises(SystemExit) as refused:
        load_bench.main(["load", "--data-dir", str(shared)])
    assert refused.value.code == 2 and ran == []
    assert "--write-data-dir" in capsys.readouterr().err
    # Without an ingest it writes nothing; with --write-data-dir (a copy for the run) it ingests.
    assert load_bench.main(["load", "--data-dir", str(shared), "--ingest-docs", "0"]) == 0
    assert load_bench.main(["load", "--data-dir", str(shared), "--write-data-dir"]) == 0
    assert ran == [(shared, 0), (shared, 300)]
