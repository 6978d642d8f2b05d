"""What the analyzer is built from and stored as: the hunspell-sv files, the lexicon cache
(written once, rebuilt when corrupt or stale, safe for two processes at once), the version
that names its inputs, and an analyzer small enough to pickle into a whoosh schema.
"""

from __future__ import annotations

import importlib.metadata
import multiprocessing
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from kb.analysis import lexicon, lexicon_build
from kb.analysis.analyzer import (
    ANALYZER_VERSION,
    spelling_analyzer,
    swedish_analyzer,
)
from kb.errors import ConfigError

# -- whoosh integration ----------------------------------------------------------------------------


def test_analyzer_pickles_small_and_equal() -> None:
    data = pickle.dumps(swedish_analyzer())
    assert len(data) < 1000  # filters hold no lexicon, so the index does not carry 100 MB
    assert pickle.loads(data) == swedish_analyzer()
    assert pickle.loads(pickle.dumps(spelling_analyzer())) == spelling_analyzer()


def test_schema_with_the_analyzer_round_trips_through_an_index() -> None:
    schema = fields.Schema(
        id=fields.ID(stored=True),
        body=fields.TEXT(analyzer=swedish_analyzer(), phrase=True),
        spell=fields.TEXT(analyzer=spelling_analyzer()),
    )
    restored = pickle.loads(pickle.dumps(schema))
    ix = RamStorage().create_index(restored)
    with ix.writer() as w:
        w.add_document(id="a", body="Kommunens digitaliseringsstrategi antogs 2023.", spell="x")
        w.add_document(id="b", body="Strategi för digitalisering antogs i juni.", spell="x")
    with ix.searcher() as s:

        def ids(q: str) -> set[str]:
            parsed = QueryParser("body", ix.schema).parse(q)
            return {hit["id"] for hit in s.search(parsed)}

        assert ids("strategin") == {"a", "b"}
        assert ids("digitalisering") == {"a", "b"}
        assert ids('"strategi för digitalisering"') == {"b"}
        assert ids("och") == set()


def test_spelling_analyzer_keeps_words_as_typed() -> None:
    words = [t.text for t in spelling_analyzer()("Kommunerna och e‑tjänsterna")]
    assert words == ["kommunerna", "e-tjänsterna"]
    # whoosh's no_morph switch (used for spelling) skips the terms filter of the full chain
    assert [t.text for t in swedish_analyzer()("Kommunerna", no_morph=True)] == ["kommunerna"]


def test_analyzer_version_names_its_inputs() -> None:
    assert "hunspell-sv." in ANALYZER_VERSION
    assert "snowball." in ANALYZER_VERSION
    assert "+lists." in ANALYZER_VERSION


# -- lexicon files and cache -----------------------------------------------------------------------


def test_hunspell_files_come_from_the_installed_distribution() -> None:
    aff, dic = lexicon_build.hunspell_files()
    assert aff.name == "sv_SE.aff" and dic.name == "sv_SE.dic"
    assert dic.stat().st_size > 1_000_000


def test_missing_dictionary_is_a_clear_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_installed(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    with pytest.raises(ConfigError, match="hunspell-sv"):
        lexicon_build.hunspell_files()


@pytest.fixture
def tiny_lexicon() -> lexicon.Lexicon:
    return lexicon.Lexicon(
        key=lexicon.lexicon_key(),
        stems={"strategin": "strategi"},
        folded_stems={},
        fold_collisions=frozenset(),
        begin={},
        middle={},
        end=frozenset({"strategi"}),
        heads=frozenset({"strategi"}),
        proper_nouns=frozenset(),
    )


def test_cache_is_written_once_and_then_loaded(
    tmp_path: Path, tiny_lexicon: lexicon.Lexicon
) -> None:
    builds: list[int] = []

    def build() -> lexicon.Lexicon:
        builds.append(1)
        return tiny_lexicon

    path = tmp_path / "cache" / "lex.pickle"
    assert lexicon.load_or_build(path, build) == tiny_lexicon
    assert lexicon.load_or_build(path, build) == tiny_lexicon
    assert builds == [1]
    assert [p.name for p in path.parent.iterdir()] == ["lex.pickle"]  # no temporary file left


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"old": "format"})])
def test_corrupt_or_foreign_cache_is_rebuilt(
    tmp_path: Path, tiny_lexicon: lexicon.Lexicon, content: bytes
) -> None:
    path = tmp_path / "lex.pickle"
    path.write_bytes(content)
    assert lexicon.load_or_build(path, lambda: tiny_lexicon) == tiny_lexicon
    assert pickle.loads(path.read_bytes()) == tiny_lexicon


def test_stale_cache_key_is_rebuilt(tmp_path: Path, tiny_lexicon: lexicon.Lexicon) -> None:
    path = tmp_path / "lex.pickle"
    old = lexicon.Lexicon(**{**tiny_lexicon.__dict__, "key": "lex-0+old"})
    path.write_bytes(pickle.dumps(old))
    assert lexicon.load_or_build(path, lambda: tiny_lexicon).key == lexicon.lexicon_key()


def _tiny() -> lexicon.Lexicon:
    return lexicon.Lexicon(
        key=lexicon.lexicon_key(),
        stems={},
        folded_stems={},
        fold_collisions=frozenset(),
        begin={},
        middle={},
        end=frozenset({"strategi"}),
        heads=frozenset(),
        proper_nouns=frozenset(),
    )


def _build_in_child(path: str, barrier: Any) -> None:
    def build() -> lexicon.Lexicon:
        barrier.wait(timeout=60)  # both processes are building at the same moment
        return _tiny()

    assert lexicon.load_or_build(Path(path), build).end == frozenset({"strategi"})


def test_two_processes_building_at_once_leave_one_complete_cache(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    path = tmp_path / "lex.pickle"
    procs = [ctx.Process(target=_build_in_child, args=(str(path), barrier)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert pickle.loads(path.read_bytes()) == _tiny()
    assert [p.name for p in tmp_path.iterdir()] == ["lex.pickle"]


def test_unwritable_cache_dir_still_gives_a_lexicon(
    tmp_path: Path, tiny_lexicon: lexicon.Lexicon
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert (
        lexicon.load_or_build(blocker / "sub" / "lex.pickle", lambda: tiny_lexicon) == tiny_lexicon
    )


def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path))
    path = lexicon.cache_path()
    assert path.parent == tmp_path
    assert "hunspell-sv" in path.name
