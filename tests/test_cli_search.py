"""`kb search`, `kb stats` and `kb reindex` as a user runs them: output, JSON contract, errors."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.config import Settings
from kb.index.schema import VERSION_FILE
from kb.search.request import SearchRequest
from kb.search.results import SearchResult
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.conftest import add_documents, make_document


def _seed(data_dir: Path) -> None:
    kb = KnowledgeBase.open(Settings(data_dir=data_dir))
    add_documents(
        kb,
        [
            make_document(
                "https://www.vara.se/e-arkiv",
                "E-arkiv i Vara kommun",
                "Vara kommun inför e-arkiv för alla bygglov.",
                date="2024-09-30",
                doc_type="report",
                focus_areas=("digital-infrastruktur",),
                municipalities=("1470",),
            ),
            make_document(
                "https://www.skovde.se/sakerhet",
                "Informationssäkerhet i Skövde",
                "Skövde kommun arbetar med informationssäkerhet och e-arkiv.",
                date="2021-02-01",
                doc_type="plan",
                focus_areas=("digital-trygghet",),
                municipalities=("1496",),
            ),
        ],
    )
    kb.close()


def test_search_json_contract(tmp_path: Path) -> None:
    _seed(tmp_path)
    result = CliRunner().invoke(
        cli, ["search", "e-arkiv", "--municipality", "1470", "--json", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 1
    hit = data["results"][0]
    for key in (
        "id",
        "title",
        "url",
        "snippet",
        "focus_areas",
        "municipalities",
        "doc_type",
        "year",
    ):
        assert key in hit
    assert hit["title"] == "E-arkiv i Vara kommun"
    assert hit["municipalities"] == ["1470"] and hit["year"] == 2024
    assert "<mark>e-arkiv</mark>" in hit["snippet"]
    munis = {v["value"]: v["count"] for v in data["facets"]["municipality"]}
    assert munis == {"1470": 1, "1496": 1}  # the municipality facet ignores its own filter
    assert set(data["facets"]) == {
        "focus_area",
        "municipality",
        "region",
        "county",
        "publisher",
        "doc_type",
        "year",
    }


def test_search_human_output_and_env_data_dir(tmp_path: Path) -> None:
    _seed(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["search", "informationssäkerhet", "--sort", "newest"],
        env={"KB_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    # One hit is "1 träff", none "Inga träffar" (was "1 träffar", "0 träffar").
    assert result.output.startswith("1 träff (1 hit) – sida 1 av 1 (page 1 of 1)")
    none = CliRunner().invoke(cli, ["search", "zzqqx"], env={"KB_DATA_DIR": str(tmp_path)})
    assert none.output.startswith("Inga träffar (no hits)")
    two = CliRunner().invoke(cli, ["search", "e-arkiv"], env={"KB_DATA_DIR": str(tmp_path)})
    assert two.output.startswith("2 träffar (hits)")
    assert "Informationssäkerhet i Skövde" in result.output
    assert "Skövde" in result.output and "<mark>" not in result.output


def test_filters_take_names_as_kb_ingest_does(tmp_path: Path) -> None:
    _seed(tmp_path)

    def titles(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["search", *args, "--json", "--data-dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        return [hit["title"] for hit in json.loads(result.output)["results"]]

    by_code = titles("e-arkiv", "--municipality", "1496")
    assert by_code == ["Informationssäkerhet i Skövde"]
    assert titles("e-arkiv", "--municipality", "Skövde") == by_code
    assert titles("e-arkiv", "--municipality", "skovde kommun") == by_code
    assert titles("e-arkiv", "--region", "Skaraborg", "--doc-type", "Handlingsplan") == by_code
    assert titles("e-arkiv", "--focus-area", "Digital trygghet") == by_code
    help_text = CliRunner().invoke(cli, ["search", "--help"], terminal_width=200).output
    assert "SCB code (repeatable). A name works too." in help_text


def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    _seed(tmp_path)
    bad = CliRunner().invoke(
        cli, ["search", "x", "--municipality", "0000", "--data-dir", str(tmp_path)]
    )
    assert bad.exit_code == 1
    assert "Error:" in bad.output and "0000" in bad.output and "Traceback" not in bad.output
    reversed_years = CliRunner().invoke(
        cli,
        ["search", "x", "--year-from", "2024", "--year-to", "2020", "--data-dir", str(tmp_path)],
    )
    assert reversed_years.exit_code == 1 and len(reversed_years.output.strip().splitlines()) == 1
    # Swedish and English, as the CLI's other messages (these were Swedish only).
    assert "unknown value for municipality: 0000" in bad.output
    assert "year_from is later than year_to" in reversed_years.output


def test_a_damaged_index_file_is_one_line_that_says_reindex(tmp_path: Path) -> None:
    _seed(tmp_path)
    terms = next((tmp_path / "index").glob("b-*/*.trm"))
    terms.write_bytes(terms.read_bytes()[:100])  # cut short, as by a full disk or a bad copy
    result = CliRunner().invoke(cli, ["search", "e-arkiv", "--data-dir", str(tmp_path)])
    # Was a traceback ending in _pickle.UnpicklingError.
    assert result.exit_code == 1, result.output
    assert "kb reindex" in result.output and "Traceback" not in result.output
    assert CliRunner().invoke(cli, ["reindex", "--data-dir", str(tmp_path)]).exit_code == 0
    again = CliRunner().invoke(cli, ["search", "e-arkiv", "--data-dir", str(tmp_path)])
    assert again.exit_code == 0 and "E-arkiv i Vara kommun" in again.output


def test_stats_and_reindex_after_schema_change(tmp_path: Path) -> None:
    _seed(tmp_path)
    runner = CliRunner()
    stats = runner.invoke(cli, ["stats", "--json", "--data-dir", str(tmp_path)])
    assert stats.exit_code == 0 and json.loads(stats.output)["documents"] == 2
    build = next((tmp_path / "index").glob("b-*"))
    (build / VERSION_FILE).write_text('{"schema_version": 0}')
    stale = runner.invoke(cli, ["search", "e-arkiv", "--data-dir", str(tmp_path)])
    assert stale.exit_code == 1 and "kb reindex" in stale.output
    rebuilt = runner.invoke(cli, ["reindex", "--data-dir", str(tmp_path)])
    assert rebuilt.exit_code == 0 and "2 dokument" in rebuilt.output
    again = runner.invoke(cli, ["search", "e-arkiv", "--json", "--data-dir", str(tmp_path)])
    assert json.loads(again.output)["total"] == 2


def test_an_index_missing_its_version_record_is_called_incomplete(tmp_path: Path) -> None:
    _seed(tmp_path)
    build = next((tmp_path / "index").glob("b-*"))
    (build / VERSION_FILE).unlink()
    broken = CliRunner().invoke(cli, ["search", "e-arkiv", "--data-dir", str(tmp_path)])
    assert broken.exit_code == 1 and "saknas eller är ofullständigt" in broken.output
    assert "schemaversion" not in broken.output and "kb reindex" in broken.output


def test_the_header_lines_say_each_thing_in_english_too(tmp_path: Path) -> None:
    # As the other lines do ("Sökte även på (also searched for)"); 'Menade du:' and 'sida 1 av 1'
    # were Swedish only, and a search without hits had a 'sida 1 av 1' of its own.
    _seed(tmp_path)
    env = {"KB_DATA_DIR": str(tmp_path)}
    one = CliRunner().invoke(cli, ["search", "informationssäkerhet"], env=env)
    assert one.output.startswith("1 träff (1 hit) – sida 1 av 1 (page 1 of 1)\n")
    typo = CliRunner().invoke(cli, ["search", "informationssäkerhte"], env=env)
    assert typo.output.splitlines()[:2] == [
        "Inga träffar (no hits)",
        "Menade du (did you mean): informationssäkerhet?",
    ]


def test_partial_hits_are_named_as_the_page_names_them(tmp_path: Path) -> None:
    # The page's two notes, in Swedish and English: 'efter dem som har alla orden' was said
    # when no hit had them all, and the index size line was Swedish only.
    _seed(tmp_path)
    env = {"KB_DATA_DIR": str(tmp_path)}
    some = CliRunner().invoke(cli, ["search", "e-arkiv bygglov"], env=env).output
    assert (
        "Träffar som saknar: bygglov (1 st, efter dem som har alla orden) / "
        "Hits missing: bygglov (1, after those with every word)"
    ) in some
    none = CliRunner().invoke(cli, ["search", "bygglov informationssäkerhet"], env=env).output
    # Each hit lacks only some of the words named (its own line says which), not all of them.
    assert "Ingen träff har alla orden – träffarna saknar något av orden: " in none
    assert " / No hit has every word – the hits lack some of the words: " in none
    assert "varje träff saknar" not in none and "   Saknar: " in none and " / Missing: " in none
    assert "efter dem som har alla orden" not in none
    stats = CliRunner().invoke(cli, ["stats"], env=env).output
    assert "Indexets storlek (index size): " in stats


def test_a_related_hit_says_it_is_related_as_the_page_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A related hit (kb.search.feedback) holds none of the words: 'Saknar: bygglov / Missing: …'
    # under a hit of a search for bygglov read as a wrong hit; the page says "Relaterad: …".
    _seed(tmp_path)
    search = KnowledgeBase.search

    def with_a_related_hit(kb: KnowledgeBase, request: SearchRequest) -> SearchResult:
        result = search(kb, request)
        hit = dataclasses.replace(result.hits[0], partial=True, related=True, missing=("zzqq",))
        return dataclasses.replace(result, hits=(hit, *result.hits[1:]))

    monkeypatch.setattr(KnowledgeBase, "search", with_a_related_hit)
    out = CliRunner().invoke(cli, ["search", "e-arkiv", "--data-dir", str(tmp_path)]).output
    assert (
        "   Relaterad: liknar de första träffarna men saknar zzqq / "
        "Related: like the first hits, but without zzqq\n"
    ) in out
    assert "Saknar:" not in out
