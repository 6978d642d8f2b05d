"""Turning command-line inputs and manifests into sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.model import Overrides, Rejected, Source
from ingest.sources import read_manifest, resolve
from kb.errors import ValidationError


def write(path: Path, text: str = "text") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_are_walked_recursively_in_order_skipping_hidden_and_other_types(
    tmp_path: Path,
) -> None:
    write(tmp_path / "b.pdf")
    write(tmp_path / "a.md")
    write(tmp_path / "sub" / "deeper" / "c.html")
    write(tmp_path / ".git" / "config.txt")
    write(tmp_path / ".hidden.txt")
    write(tmp_path / "sheet.xlsx")
    items = list(resolve([str(tmp_path)]))
    sources = [i for i in items if isinstance(i, Source)]
    assert [Path(s.location).name for s in sources] == ["a.md", "b.pdf", "c.html"]
    assert all(Path(s.location).is_absolute() and s.kind == "file" for s in sources)
    skipped = [i for i in items if isinstance(i, Rejected)]
    assert [(Path(r.location).name, r.skipped) for r in skipped] == [("sheet.xlsx", True)]


def test_urls_are_normalised_and_other_schemes_and_missing_paths_rejected(tmp_path: Path) -> None:
    items = list(
        resolve(
            [
                "HTTPS://Www.Uddevalla.SE/bygglov#top",
                "mailto:info@uddevalla.se",
                "javascript:alert(1)",
                str(tmp_path / "saknas.pdf"),
            ]
        )
    )
    assert items[0] == Source("https://www.uddevalla.se/bygglov", "url")
    assert [(i.code, i.skipped) for i in items[1:]] == [  # type: ignore[union-attr]
        ("scheme", False),
        ("scheme", False),
        ("missing", False),
    ]


def test_an_address_that_cannot_be_read_is_rejected_not_raised() -> None:
    # urlsplit raises on an unclosed IPv6 bracket: kb ingest printed a traceback.
    [item] = list(resolve(["http://[::1/plan.pdf"]))
    assert isinstance(item, Rejected) and item.code == "bad-url"
    assert item.reason.startswith("Ogiltig URL / invalid URL")


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("www.uddevalla.se/e-arkiv", True),
        ("vara.se", True),
        ("intranat.lerum.se/styrdokument/plan.pdf", True),
        ("rapport.pdf", False),
        ("docs/plan.pdf", False),
        ("./www.vara.se", False),
    ],
)
def test_an_address_without_https_is_named_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, hint: bool
) -> None:
    # Staff paste "www.uddevalla.se/e-arkiv" as shown in a browser: not a file here.
    monkeypatch.chdir(tmp_path)
    [item] = list(resolve([typed]))
    assert isinstance(item, Rejected) and item.code == "missing"
    assert (f"Menade du / did you mean https://{typed}" in item.reason) is hint


def test_a_csv_manifest_gives_sources_with_overrides(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "plan.pdf")
    manifest = write(
        tmp_path / "manifest.csv",
        "path;title;municipality;focus_areas;date\n"
        "docs/plan.pdf;Handlingsplan;Uddevalla;digital-kompetens | digital-trygghet;2024-03\n"
        "https://example.se/a.html;;1485;;\n",
    )
    given = Overrides(doc_type="plan", municipalities=("1480",))
    items = list(read_manifest(manifest, given))
    first, second = items
    assert isinstance(first, Source) and isinstance(second, Source)
    assert first.location == str(tmp_path / "docs" / "plan.pdf")
    assert first.origin == "manifest line 2"
    assert first.overrides == Overrides(
        title="Handlingsplan",
        date="2024-03",
        doc_type="plan",  # from the command line, not overridden by the row
        focus_areas=("digital-kompetens", "digital-trygghet"),
        municipalities=("Uddevalla",),  # the row wins over the command line
    )
    assert second.location == "https://example.se/a.html"
    assert second.overrides.municipalities == ("1485",)


def test_a_manifest_with_swedish_column_names_is_read(tmp_path: Path) -> None:
    # Swedish names for every column, the source and a kept copy's path too.
    write(tmp_path / "docs" / "plan.pdf")
    write(tmp_path / "docs" / "kopia.pdf")
    manifest = write(
        tmp_path / "manifest.csv",
        "Källa;Titel;Kommun;Regioner\ndocs/plan.pdf;Handlingsplan;Uddevalla;fyrbodal\n",
    )
    [row] = list(read_manifest(manifest))
    assert isinstance(row, Source) and row.location == str(tmp_path / "docs" / "plan.pdf")
    assert row.overrides.title == "Handlingsplan"
    assert row.overrides.regions == ("fyrbodal",)
    both = write(
        tmp_path / "b.csv",
        "sökväg,adress\ndocs/kopia.pdf,https://www.vara.se/Plan.pdf\n",
    )
    [kept] = list(read_manifest(both))
    assert isinstance(kept, Source) and kept.location == "https://www.vara.se/Plan.pdf"
    assert kept.local_path == str(tmp_path / "docs" / "kopia.pdf")
    with pytest.raises(ValidationError, match="saknar kolumnen källa"):
        list(read_manifest(write(tmp_path / "c.csv", "titel,datum\nx,2024\n")))


def test_a_json_lines_manifest_accepts_lists_and_reports_bad_rows(tmp_path: Path) -> None:
    write(tmp_path / "a.txt")
    lines = [
        json.dumps({"source": "a.txt", "focus_areas": ["digital-innovation"], "doc_type": "guide"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"title": "no source"}),
    ]
    manifest = write(tmp_path / "m.jsonl", "\n".join(lines) + "\n")
    items = list(read_manifest(manifest))
    assert isinstance(items[0], Source)
    assert items[0].overrides.focus_areas == ("digital-innovation",)
    assert items[0].overrides.doc_type == "guide"
    assert [type(i) for i in items[1:]] == [Rejected, Rejected, Rejected]
    assert "JSON" in items[1].reason  # type: ignore[union-attr]


def test_a_manifest_with_unknown_columns_or_no_source_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="fokus"):
        list(read_manifest(write(tmp_path / "a.csv", "path,fokus\nx.pdf,y\n")))
    with pytest.raises(ValidationError, match="source"):
        list(read_manifest(write(tmp_path / "b.csv", "title,date\nx,2024\n")))
    with pytest.raises(ValidationError):
        list(read_manifest(tmp_path / "missing.csv"))


def test_a_row_with_path_and_url_is_read_from_the_file_and_known_by_the_url(tmp_path: Path) -> None:
    write(tmp_path / "kopia.pdf")
    manifest = write(
        tmp_path / "m.jsonl",
        json.dumps({"path": "kopia.pdf", "url": "https://www.vara.se/Plan.pdf", "date": "2019"})
        + "\n"
        + json.dumps({"path": "saknas.pdf", "url": "https://www.vara.se/b.pdf"})
        + "\n",
    )
    found, missing = list(read_manifest(manifest))
    assert isinstance(found, Source)
    assert found.location == "https://www.vara.se/Plan.pdf"
    assert found.kind == "url" and found.local_path == str(tmp_path / "kopia.pdf")
    assert found.filename == "Plan.pdf"
    assert found.overrides.date == "2019"
    assert isinstance(missing, Rejected) and missing.code == "missing"
