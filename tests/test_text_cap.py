"""The text kept per document is capped (KB_MAX_TEXT_CHARS), the cut is reported as a warning on
the document's outcome, and a huge HTML page is parsed only as far as the cap needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.extract.dispatch import ExtractOptions, extract
from ingest.model import Fetched, Source
from kbcli.main import cli
from tests.ingest_support import make_pdf

SENTENCE = "Kommunstyrelsen beslutar att anta handlingsplanen för e-arkiv. "


def test_a_long_text_is_cut_at_a_word_with_a_note() -> None:
    data = (SENTENCE * 200).encode()  # 12,800 characters
    fetched = Fetched(Source("/srv/protokoll.txt", "file"), data, "")
    result = extract(fetched, ExtractOptions(max_text_chars=1000))
    assert 900 < len(result.text) <= 1000
    assert result.text.endswith(("e-arkiv.", "handlingsplanen", "anta", "för", "att", "beslutar"))
    assert any("text cut at 1000 of" in note for note in result.notes)
    untouched = extract(fetched, ExtractOptions(max_text_chars=20_000))
    assert untouched.notes == () and len(untouched.text) == len(SENTENCE * 200) - 1


def test_a_long_pdf_keeps_its_first_pages_and_their_numbers() -> None:
    data = make_pdf([f"Sidan {n}. " + SENTENCE * 5 for n in range(1, 7)])
    fetched = Fetched(Source("/srv/rapport.pdf", "file"), data, "")
    result = extract(fetched, ExtractOptions(max_text_chars=800))
    assert [page.number for page in result.pages] == [1, 2, 3]
    assert len(result.text) <= 800 + 2 * 2  # page texts are joined by blank lines


def test_a_huge_html_page_is_parsed_only_as_far_as_the_cap_needs() -> None:
    rows = "".join(
        f"<tr><td>§ {n}</td><td><p>{SENTENCE}</p></td></tr><script>track({n})</script>"
        for n in range(3_000)
    )
    page = f"<html><head><title>Beslut</title></head><body><main><table>{rows}</table></main>"
    data = page.encode()
    assert len(data) > 300_000
    fetched = Fetched(Source("/srv/beslut.html", "file"), data, "text/html")
    result = extract(fetched, ExtractOptions(max_text_chars=20_000))
    assert len(result.text) <= 20_000
    assert "track(" not in result.text
    notes = " ".join(result.notes)
    assert "page too large" in notes and "first 80000 characters" in notes


def test_the_setting_reaches_the_ingest_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "lang.txt").write_text(SENTENCE * 100, encoding="utf-8")
    (folder / "kort.txt").write_text(SENTENCE, encoding="utf-8")
    monkeypatch.setenv("KB_MAX_TEXT_CHARS", "500")
    result = CliRunner().invoke(
        cli, ["ingest", "--data-dir", str(tmp_path / "data"), "--json", str(folder)]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    by_name = {Path(line["source"]).name: line for line in lines if "source" in line}
    assert by_name["lang.txt"]["status"] == "added"
    assert any("text cut at 500" in note for note in by_name["lang.txt"]["notes"])
    assert "notes" not in by_name["kort.txt"]
