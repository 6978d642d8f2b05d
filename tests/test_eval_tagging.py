"""bench.eval_tagging on a labels file written here: which publisher labels accept which
publisher, and the published address a label row may give (never reads ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.eval_tagging import Label, _source, publisher_right, read_labels
from kb.document import Document, Tag
from kb.taxonomy.model import Taxonomy

HEADER = (
    "doc_file\tpublisher\tpublisher_code\tconcerns\tmentions\tfocus_areas\tdoc_type\tyear\tnote"
)


def label(publisher: str, code: str = "") -> Label:
    return Label("x.md", publisher, code, frozenset(), frozenset(), frozenset(), "other", "")


def doc(org: str, name: str) -> Document:
    return Document(
        id="x",
        source="x.md",
        title="x",
        pages=(),
        content_sha256="0",
        content_type="text/markdown",
        publisher=name,
        publisher_org=Tag(org, "auto"),
    )


@pytest.mark.parametrize(
    ("publisher", "org", "name", "right"),
    [
        (
            "Digg (Maria Dalhage, NOSAD) vid H22",
            "org:digg",
            "Myndigheten för digital förvaltning",
            True,
        ),
        ("Digg (Maria Dalhage, NOSAD) vid H22", "org:nosad", "NOSAD", False),
        ("NOSAD-wikin (sammanfattning av Diggs presentation)", "org:nosad", "NOSAD", True),
        ("NOSAD-wikin (sammanfattning av Diggs presentation)", "org:digg", "Digg", False),
        ("Suntarbetsliv (Sobona, SKR och fackförbunden)", "org:skr", "SKR", False),
        ("Björn Lundell, Högskolan i Skövde", "org:his", "Högskolan i Skövde", True),
    ],
)
def test_a_label_accepts_the_organisation_it_names_outside_parentheses(
    publisher: str, org: str, name: str, right: bool
) -> None:
    assert publisher_right(doc(org, name), label(publisher), Taxonomy.load()) is right


def test_a_labelled_municipality_code_must_be_the_publishers() -> None:
    tax = Taxonomy.load()
    assert publisher_right(
        doc("kommun:1384", "Kungsbacka kommun"), label("Kungsbacka", "1384"), tax
    )
    assert not publisher_right(
        doc("kommun:1380", "Halmstads kommun"), label("Kungsbacka", "1384"), tax
    )


def test_a_source_url_column_is_passed_as_the_published_address(tmp_path: Path) -> None:
    (tmp_path / "labels.tsv").write_text(
        f"{HEADER}\tsource_url\n"
        "a.md\tDigg\t-\t-\t-\t-\tother\t2024\tnote\thttps://www.digg.se/digital-forvaltning/a\n"
        "b.md\tDigg\t-\t-\t-\t-\tother\t2024\tnote\t-\n",
        encoding="utf-8",
    )
    a, b = read_labels(tmp_path, ("labels.tsv",))
    source = _source(tmp_path, a)
    assert (source.kind, source.location) == ("url", "https://www.digg.se/digital-forvaltning/a")
    assert source.local_path == str((tmp_path / "a.md").resolve())
    assert _source(tmp_path, b).kind == "file"
