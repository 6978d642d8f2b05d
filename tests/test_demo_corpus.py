"""The committed demo corpus (corpus/demo/) is complete, parseable, reproducible and varied.

The documents are written by scripts/make_demo_corpus.py from corpus/demo_src/; each source declares
the metadata it was written to carry (``intended``), which these tests check for spread and against
the visible text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import fpdf
import pypdf
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"
NOTICE = "Demomaterial – fiktivt exempel för Kunskapsbanken"
FOCUS_AREAS = (
    "digital-kompetens",
    "digital-trygghet",
    "digital-innovation",
    "digitalt-ledarskap",
    "digital-infrastruktur",
)


def _load_generator() -> ModuleType:
    path = ROOT / "scripts" / "make_demo_corpus.py"
    spec = importlib.util.spec_from_file_location("make_demo_corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _manifest() -> list[dict[str, str]]:
    lines = (DEMO / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def _pdf_info(path: Path) -> dict[str, str]:
    metadata = pypdf.PdfReader(path).metadata
    return {str(k): str(v) for k, v in (metadata or {}).items()}


def _html_main_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    main = soup.find("article") or soup.find(id="innehall") or soup.body
    assert main is not None, path.name
    return main.get_text(" ", strip=True)


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return "\n".join(_pdf_pages(path))
    if path.suffix == ".html":
        return _html_main_text(path)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {rec["path"]: _text(DEMO / rec["path"]) for rec in _manifest()}


@pytest.fixture(scope="module")
def intended() -> list[Any]:
    return [src.intended() for src in gen.load_sources()]


def test_corpus_has_at_least_40_documents_about_half_pdf_half_html() -> None:
    formats = Counter(Path(rec["path"]).suffix for rec in _manifest())
    assert sum(formats.values()) >= 40
    assert formats[".pdf"] >= 18 and formats[".html"] >= 18, formats
    assert 2 <= formats[".txt"] + formats[".md"] <= 5, formats


def test_manifest_lists_every_file_once_with_a_fictional_source_url() -> None:
    records = _manifest()
    paths = [rec["path"] for rec in records]
    assert len(set(paths)) == len(paths)
    on_disk = {p.name for p in DEMO.iterdir() if p.is_file() and p.name != "manifest.jsonl"}
    assert set(paths) == on_disk
    urls = [rec["url"] for rec in records]
    assert len(set(urls)) == len(urls)
    for rec in records:
        assert re.match(r"https?://[a-z0-9.-]+\.se/", rec["url"]), rec
        assert set(rec) <= {"path", "url", *gen.MANIFEST_EXTRAS}, rec
    # Metadata is the exception (an editor's date for an undated page), not a full tag set.
    with_extras = [rec for rec in records if set(rec) - {"path", "url"}]
    assert 1 <= len(with_extras) <= len(records) // 4


def test_every_pdf_page_has_extractable_swedish_text_and_the_demo_notice() -> None:
    pdfs = sorted(DEMO.glob("*.pdf"))
    assert pdfs
    for path in pdfs:
        pages = _pdf_pages(path)
        for number, text in enumerate(pages, start=1):
            assert len(text.split()) > 20, f"{path.name} p{number}"
            assert NOTICE in text, f"{path.name} p{number}"
            assert "Ã" not in text and "\ufffd" not in text, f"{path.name} p{number}: mojibake"
        assert re.search("[åäö]", " ".join(pages)), path.name
    multi = [p for p in pdfs if len(pypdf.PdfReader(p).pages) >= 3]
    assert len(multi) >= 5, "several long PDFs are needed for page-level hits"


def test_every_html_page_parses_with_a_title_and_swedish_main_text() -> None:
    for path in sorted(DEMO.glob("*.html")):
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        assert soup.title and soup.title.get_text(strip=True), path.name
        assert soup.find("h1"), path.name
        text = _html_main_text(path)
        assert re.search("[åäö]", text) and NOTICE in text, path.name
        assert "Ã" not in text and "\ufffd" not in text, path.name


def test_windows_1252_page_declares_its_charset_and_decodes_correctly() -> None:
    legacy = [p for p in DEMO.glob("*.html") if b'charset="windows-1252"' in p.read_bytes()]
    assert len(legacy) == 1
    raw = legacy[0].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    assert soup.original_encoding == "windows-1252"
    text = soup.get_text(" ")
    # The en dash and quotes are the bytes where windows-1252 differs from latin-1.
    assert "virusangrepp – så påverkas du" in text and "”utpressningsprogram”" in text


def test_text_and_markdown_files_are_utf8_with_the_notice(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        if name.endswith((".txt", ".md")):
            assert NOTICE in text and re.search("[ÅÄÖåäö]", text), name


def test_documents_are_250_to_1200_words(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        words = len(re.findall(r"\w+", text))
        assert 250 <= words <= 1200, f"{name}: {words} words"


def test_regenerating_yields_byte_identical_files(tmp_path: Path) -> None:
    gen.generate(tmp_path)
    committed = sorted(p.name for p in DEMO.iterdir() if p.is_file())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    same_fpdf = fpdf.__version__ == gen.FPDF2_VERSION
    for name in committed:
        new, old = tmp_path / name, DEMO / name
        if name.endswith(".pdf") and not same_fpdf:
            # Another fpdf2 release may lay bytes out differently; the text must still match.
            assert _pdf_pages(new) == _pdf_pages(old), name
            continue
        digest = hashlib.sha256
        assert digest(new.read_bytes()).digest() == digest(old.read_bytes()).digest(), (
            f"{name} differs: re-run scripts/make_demo_corpus.py and commit corpus/demo/"
        )


def test_intended_metadata_covers_every_type_year_focus_area_and_region(
    intended: list[Any],
) -> None:
    assert {i.path for i in intended} == {rec["path"] for rec in _manifest()}
    types = Counter(i.doc_type for i in intended)
    assert set(types) == {"guide", "project", "decision", "plan", "report", "other"}
    assert min(types.values()) >= 5, types
    assert {i.year for i in intended} == set(range(2015, 2027))
    areas = Counter(a for i in intended for a in i.focus_areas)
    assert set(areas) == set(FOCUS_AREAS) and min(areas.values()) >= 8, areas
    regions = Counter(r for i in intended for r in i.regions)
    assert len(regions) == 5 and min(regions.values()) >= 6, regions
    outside = [i for i in intended if not i.regions]
    assert len(outside) >= 4, "a few documents come from municipalities outside the regions"
    municipalities = {m for i in intended for m in i.municipalities}
    assert len(municipalities) >= 30
    assert sum(len(i.focus_areas) > 1 for i in intended) >= 15


def test_intended_municipalities_and_year_are_visible_in_the_document(
    texts: dict[str, str], intended: list[Any]
) -> None:
    dates = {rec["path"]: rec.get("date", "") for rec in _manifest()}
    for item in intended:
        path = item.path
        text = texts[path].lower()
        for name in item.municipality_names + item.mentioned_names:
            assert name.lower() in text, f"{path}: {name} not named"
        # The year shows in the text, a page's date markup, the PDF's dates or the manifest.
        year = str(item.year)
        raw = (DEMO / path).read_bytes()
        if path.endswith(".pdf"):
            raw = _pdf_info(DEMO / path).get("/CreationDate", "").encode()
        found = year in text or year.encode() in raw or dates[path].startswith(year)
        assert found, f"{path}: {year} not visible"


def test_ambiguous_names_appear_as_municipality_and_as_ordinary_word(
    texts: dict[str, str], intended: list[Any]
) -> None:
    for name, full, word in (("Vara", "Vara kommun", "vara"), ("Mark", "Marks kommun", "mark")):
        about = [i.path for i in intended if name in i.municipality_names]
        others = [i.path for i in intended if name not in i.municipality_names]
        assert sum(full in texts[p] for p in about) >= 2, name
        plain = re.compile(rf"(?<![\wÅÄÖåäö]){word}(?![\wÅÄÖåäö])")
        assert sum(bool(plain.search(texts[p])) for p in others) >= 3, word


def test_real_world_rough_edges_are_present() -> None:
    pdfs = sorted(DEMO.glob("*.pdf"))
    titled = [p for p in pdfs if _pdf_info(p).get("/Title")]
    assert 5 <= len(titled) <= len(pdfs) - 5
    running = 0
    for path in pdfs:
        pages = _pdf_pages(path)
        firsts = {page.strip().splitlines()[0] for page in pages}
        if len(pages) >= 3 and len(firsts) == 1:
            running += 1
    assert running >= 2, "long PDFs with the same running header on every page"
    hyphenated = [p for p in pdfs if re.search(r"[a-zåäö]-\n[a-zåäö]", "\n".join(_pdf_pages(p)))]
    assert hyphenated, "a word hyphenated across a line break"
    boilerplate = 0
    for path in DEMO.glob("*.html"):
        soup = BeautifulSoup(path.read_bytes(), "html.parser")
        if soup.find("nav") and soup.find(id="cookie-consent") and soup.find("footer"):
            assert soup.find("script"), path.name
            boilerplate += 1
    assert boilerplate >= 5


def test_intended_focus_areas_have_a_taxonomy_keyword_in_the_text(
    texts: dict[str, str], intended: list[Any]
) -> None:
    taxonomy = ROOT / "corpus" / "taxonomy" / "focus_areas.toml"
    if not taxonomy.exists():
        pytest.skip("corpus/taxonomy/focus_areas.toml is not there yet")
    data = tomllib.loads(taxonomy.read_text(encoding="utf-8"))
    keywords = {fa["id"]: [k.lower() for k in fa["keywords"]] for fa in data["focus_area"]}
    for item in intended:
        text = texts[item.path].lower()
        for area in item.focus_areas:
            assert any(k in text for k in keywords[area]), f"{item['path']}: no {area} keyword"


def test_intended_regions_are_those_of_the_intended_municipalities(
    intended: list[Any],
) -> None:
    taxonomy = ROOT / "corpus" / "taxonomy" / "regions.toml"
    if not taxonomy.exists():
        pytest.skip("corpus/taxonomy/regions.toml is not there yet")
    regions = tomllib.loads(taxonomy.read_text(encoding="utf-8"))["region"]
    for item in intended:
        expected = {r["id"] for r in regions if set(r["members"]) & set(item.municipalities)}
        assert set(item.regions) == expected, item.path


def test_corpus_stays_small() -> None:
    assert sum(p.stat().st_size for p in DEMO.iterdir()) < 3 * 1024 * 1024
