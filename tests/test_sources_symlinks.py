"""Ingesting a folder never follows a symbolic link out of it: links to a file or a folder
elsewhere are reported as skipped with their target; links inside the folder are followed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Rejected, Source
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.service import KnowledgeBase


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    (outside / "private").mkdir(parents=True)
    (outside / "passwd.txt").write_text("root:x:0:0:hemlig rad\n", encoding="utf-8")
    (outside / "private" / "lonelista.md").write_text("# Lönelista\nHemlig.\n", encoding="utf-8")
    folder = tmp_path / "docs"
    (folder / "protokoll").mkdir(parents=True)
    (folder / "protokoll" / "ks-2024.txt").write_text("Protokoll KS 2024\nE-arkiv.\n", "utf-8")
    (folder / "nyheter.md").write_text("# Nyheter\nBygglov digitalt.\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(outside / "passwd.txt")
    (folder / "privat").symlink_to(outside / "private", target_is_directory=True)
    (folder / "senaste.md").symlink_to(folder / "nyheter.md")
    (folder / "arkiv").symlink_to(folder / "protokoll", target_is_directory=True)
    (folder / "protokoll" / "upp").symlink_to(folder, target_is_directory=True)  # a loop
    return folder


def test_links_out_of_the_folder_are_skipped_and_links_inside_followed(tree: Path) -> None:
    items = list(resolve([str(tree)]))
    sources = sorted(Path(i.location).relative_to(tree).as_posix() for i in items
                     if isinstance(i, Source))  # fmt: skip
    assert sources == [
        "arkiv/ks-2024.txt",  # a link to a folder inside: followed
        "nyheter.md",
        "protokoll/ks-2024.txt",
        "senaste.md",  # a link to a file inside: followed
    ]
    skipped = {Path(i.location).name: i for i in items if isinstance(i, Rejected)}
    assert set(skipped) == {"passwd.txt", "privat", "upp"}
    assert skipped["passwd.txt"].code == "symlink-outside"
    assert str(tree.parent / "outside" / "passwd.txt") in skipped["passwd.txt"].reason
    assert skipped["privat"].code == "symlink-outside"
    assert skipped["upp"].code == "symlink-loop"
    assert all(i.skipped for i in skipped.values())


def test_the_report_names_each_link_left_out_and_nothing_outside_is_indexed(
    tree: Path, kb: KnowledgeBase
) -> None:
    report = run(kb, resolve([str(tree)]), IngestOptions(delay=0.0))
    outcomes = {Path(o.source).name: o for o in report.outcomes}
    assert outcomes["passwd.txt"].status == "skipped"
    assert "link leads outside the folder" in outcomes["passwd.txt"].reason
    assert outcomes["privat"].status == "skipped"
    assert not report.failed
    stored = " ".join(doc.text for doc in kb.store)
    assert "hemlig" not in stored.lower()
    assert "E-arkiv" in stored
