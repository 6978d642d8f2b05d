"""The thesaurus file staff edit and search with it: groups and one-way rules, errors that
name the line, size limits, reload on change, `kb synonym add` (pairs written, refused or
already there), and a small thesaurus's synonyms in search: said so, quoted, folded, in OR
groups, and named as typed when a partial hit lacks them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.search.request import SearchRequest
from kb.search.serialize import search_json
from kb.search.thesaurus import MAX_BYTES, ThesaurusError, ThesaurusFile, parse_thesaurus
from kb.service import KnowledgeBase
from kb.taxonomy.model import Taxonomy
from kbcli.main import cli
from tests.conftest import SHIPPED_THESAURUS, add_documents, make_document, thesaurus_settings


def test_groups_and_one_way_rules() -> None:
    t = parse_thesaurus("# comment\ngdpr, dataskyddsförordningen\nrpa => automatisering\n")
    assert t.expansions["gdpr"] == ("dataskyddsförordningen",)
    assert t.expansions["dataskyddsförordningen"] == ("gdpr",)
    assert t.expansions["rpa"] == ("automatisering",)
    assert "automatisering" not in t.expansions  # one way only


def test_the_shipped_thesaurus_parses() -> None:
    t = parse_thesaurus(SHIPPED_THESAURUS.read_text(encoding="utf-8"))
    assert "dataskyddsförordningen" in t.expansions["gdpr"]
    assert "artificiell intelligens" in t.expansions["ai"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("gdpr, dataskydd\nbara ett ord\n", 2, "två ord"),
        ("a, b\n\n# x\nc, , d\n", 4, "tomt ord"),
        ("a => b => c\n", 1, "mer än en"),
        ("a, b\nb, c\n", 2, "rad 1"),
        ("a => b\nb => c\nc => a\n", 3, "cirkel"),
        ("x, <script>\n", 1, "inget ord"),
    ],
)
def test_malformed_lines_are_named(text: str, line: int, words: str) -> None:
    with pytest.raises(ThesaurusError) as err:
        parse_thesaurus(text)
    assert f"rad {line}" in str(err.value)
    assert words in str(err.value)


def test_empty_and_enormous_files_are_refused() -> None:
    with pytest.raises(ThesaurusError, match="tom"):
        parse_thesaurus("  \n\n")
    with pytest.raises(ThesaurusError, match="för stor"):
        parse_thesaurus("a, b\n" * (MAX_BYTES // 4))
    assert parse_thesaurus("# only comments: no synonyms\n").expansions == {}


def _touch_later(path: Path, text: str) -> None:
    """Write ``text`` with an mtime one second later, so a reload sees the change."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_file_reloads_on_change_and_bad_edits_keep_the_previous_rules(tmp_path: Path) -> None:
    path = tmp_path / "thesaurus.txt"
    path.write_text("gdpr, dataskyddsförordningen\n", encoding="utf-8")
    current = ThesaurusFile(path)
    assert current.current().expansions["gdpr"] == ("dataskyddsförordningen",)
    _touch_later(path, "gdpr, dataskyddsförordningen\nai, artificiell intelligens\n")
    assert current.reload()
    assert "ai" in current.current().expansions
    _touch_later(path, "gdpr, dataskyddsförordningen\nai => x\nx => ai\n")
    assert not current.reload()
    assert "rad 3" in (current.error or "") and "cirkel" in (current.error or "")
    assert current.current().expansions["ai"] == ("artificiell intelligens",)
    _touch_later(path, "")
    current.reload()
    assert "tom" in (current.error or "")
    assert "gdpr" in current.current().expansions


@pytest.fixture
def corpus_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = thesaurus_settings(tmp_path, "gdpr, dataskyddsförordningen\nrpa, robotisering\n")
    kb = KnowledgeBase(settings, Taxonomy.load())
    add_documents(
        kb,
        [
            make_document(
                "https://www.boras.se/dataskydd",
                "Dataskydd i Borås",
                "Så tillämpar nämnderna dataskyddsförordningen i ärendehanteringen.",
            ),
            make_document(
                "https://www.vara.se/robotar",
                "Robotar i ekonomin",
                "Vara kommun inför robotisering av fakturahanteringen.",
            ),
        ],
    )
    yield kb, settings.corpus_dir / "thesaurus.txt"
    kb.close()


def test_search_uses_synonyms_and_says_so(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    result = kb.search(SearchRequest(q="GDPR"))
    assert [h.title for h in result.hits] == ["Dataskydd i Borås"]
    assert result.expanded == ("dataskyddsförordningen",)
    assert "<mark>dataskyddsförordningen</mark>" in result.hits[0].snippet
    assert search_json(result)["expanded"] == ["dataskyddsförordningen"]
    # An inflected form uses the same rule.
    assert kb.search(SearchRequest(q="dataskyddsförordning")).expanded == ("gdpr",)


def test_one_quoted_word_is_searched_as_written(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Quotes ask for the word as written (README): '"GDPR"' searched dataskyddsförordningen too.
    quoted = kb.search(SearchRequest(q='"GDPR"'))
    assert quoted.expanded == ()
    assert [h.title for h in quoted.hits if not h.partial] == []
    assert kb.search(SearchRequest(q='"robotisering"')).hits[0].title == "Robotar i ekonomin"


def test_a_word_typed_without_diacritics_uses_the_same_rules(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # "dataskyddsforordningen" (no ö) finds what "dataskyddsförordningen" finds, and GDPR.
    folded = kb.search(SearchRequest(q="dataskyddsforordningen"))
    assert folded.expanded == ("gdpr",)
    assert [h.title for h in folded.hits] == ["Dataskydd i Borås"]


def test_two_names_of_one_thing_in_a_query_are_one_requirement(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # "GDPR dataskyddsförordningen": a document need not use both names to match fully.
    both = kb.search(SearchRequest(q="GDPR dataskyddsförordningen nämnderna"))
    assert [h.title for h in both.hits] == ["Dataskydd i Borås"]
    assert not both.hits[0].partial
    assert both.expanded == ()  # nothing was searched that the user did not type


def test_a_synonym_found_whole_is_a_full_match_whatever_else_the_text_says(
    tmp_path: Path,
) -> None:
    settings = thesaurus_settings(tmp_path, "fiberutbyggnad, bredbandsutbyggnad\n")
    with KnowledgeBase(settings, Taxonomy.load()) as kb:
        add_documents(
            kb,
            [
                make_document(
                    "https://www.vara.se/fiber",
                    "Fiber i Vara",
                    "Fiberutbyggnaden pågår. Utbyggnad av bredband till alla hushåll.",
                )
            ],
        )
        # The text has bredbandsutbyggnad's parts apart, and fiberutbyggnad whole: a full match.
        hits = kb.search(SearchRequest(q="fiberutbyggnad")).hits
        assert [h.title for h in hits] == ["Fiber i Vara"]
        assert not hits[0].partial


def test_cli_adds_a_pair_that_the_running_service_uses(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, path = corpus_kb
    assert kb.search(SearchRequest(q="automatisering")).total == 0
    before = path.stat().st_mtime_ns
    env = {"KB_CORPUS_DIR": str(path.parent)}
    added = CliRunner().invoke(cli, ["synonym", "add", "automatisering", "robotisering"], env=env)
    assert added.exit_code == 0, added.output
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))
    kb.thesaurus.reload()
    result = kb.search(SearchRequest(q="automatisering"))
    assert [h.title for h in result.hits] == ["Robotar i ekonomin"]
    listed = CliRunner().invoke(cli, ["synonym", "list", "--json"], env=env)
    rules = json.loads(listed.output)["rules"]
    # The new word joined the group that already held "robotisering".
    assert ["rpa", "robotisering", "automatisering"] in [r["entries"] for r in rules]
    one_way = CliRunner().invoke(cli, ["synonym", "add", "--one-way", "bot", "rpa"], env=env)
    assert one_way.exit_code == 0, one_way.output
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "bot => rpa"


def test_cli_refuses_a_pair_that_breaks_the_file(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    bad = CliRunner().invoke(cli, ["synonym", "add", "--one-way", "rpa", "rpa"], env=env)
    assert bad.exit_code != 0
    assert "samma ord / the two words are the same" in bad.output
    cycle = CliRunner().invoke(cli, ["synonym", "add", "x", "<b>"], env=env)
    assert cycle.exit_code != 0 and "rad 3" in cycle.output
    assert path.read_text(encoding="utf-8") == before
    # A line broken by hand: the pair waits, and the message says which file's line.
    path.write_text(before.rstrip("\n") + "\ntrasig => rad => x\n", encoding="utf-8")
    line = len(before.rstrip("\n").splitlines()) + 1
    waits = CliRunner().invoke(cli, ["synonym", "add", "ai", "ml"], env=env)
    assert waits.exit_code == 1
    assert f"Inget lades till / nothing added: {path}: rad {line}: mer än en =>" in waits.output


def test_a_hit_lacking_a_widened_word_names_it_as_typed(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Two concepts: each document holds one, so both are partial matches.
    result = kb.search(SearchRequest(q="gdpr robotisering"))
    assert result.total == 2 and result.partial_total == 2
    # "gdpr", not "gdpr OR dataskyddsförordningen": the officer typed one word.
    assert sorted(m for h in result.hits for m in h.missing) == ["gdpr", "robotisering"]


def test_a_word_in_an_or_group_uses_its_synonyms_too(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    kb, _ = corpus_kb
    # Neither document says "gdpr" or "kärnkraft"; the first says dataskyddsförordningen.
    result = kb.search(SearchRequest(q="gdpr OR kärnkraft"))
    assert [h.title for h in result.hits] == ["Dataskydd i Borås"]
    assert "dataskyddsförordningen" in result.expanded
    # A prefix asks for the words that start so, as written.
    assert kb.search(SearchRequest(q="gdp* OR kärnkraft")).total == 0


@pytest.mark.parametrize(
    ("word", "other"),
    [("x => y", "z"), ("a, b", "c"), ("ai #", "ml"), ("Robotisering", "robotisering")],
)
def test_cli_refuses_a_word_that_would_write_another_rule(  # type: ignore[no-untyped-def]
    corpus_kb, word: str, other: str
) -> None:
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["synonym", "add", word, other], env=env)
    # 'x => y' and 'z' was written as the one-way rule "x => y, z" and reported as added.
    assert result.exit_code != 0, result.output
    assert "Lade till" not in result.output
    assert path.read_text(encoding="utf-8") == before


def test_cli_says_so_when_the_pair_is_already_there(corpus_kb) -> None:  # type: ignore[no-untyped-def]
    _, path = corpus_kb
    env = {"KB_CORPUS_DIR": str(path.parent)}
    before = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["synonym", "add", "rpa", "robotisering"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Fanns redan / already there: rpa <=> robotisering")
    assert path.read_text(encoding="utf-8") == before


def test_cli_add_to_a_file_it_cannot_read_or_write_is_one_line(tmp_path: Path) -> None:
    missing = {"KB_CORPUS_DIR": str(tmp_path / "finns-inte")}
    result = CliRunner().invoke(cli, ["synonym", "add", "ai", "ml"], env=missing)
    # Both were tracebacks (FileNotFoundError, UnicodeDecodeError).
    assert result.exit_code == 1 and "cannot be written" in result.output, result.output
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "thesaurus.txt").write_bytes("gdpr, dataskyddsförordningen\n".encode("utf-16"))
    result = CliRunner().invoke(
        cli, ["synonym", "add", "ai", "ml"], env={"KB_CORPUS_DIR": str(corpus)}
    )
    assert result.exit_code == 1 and "cannot be read" in result.output, result.output
