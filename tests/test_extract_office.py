"""DOCX and ODT documents: text, the first heading as title, core properties; other Office
formats and damaged archives get a clear reason. DOCX files are written by python-docx, ODT files
as zip + XML by the test (the format is a ZIP of XML parts)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument

from ingest.errors import ExtractError, UnsupportedTypeError
from ingest.extract.dispatch import ExtractOptions, extract
from ingest.extract.office import DOCX, ODT
from ingest.model import Extracted, Fetched, Source
from ingest.pipeline import IngestOptions, run
from ingest.sources import resolve
from kb.config import Settings
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from web import create_app


def make_docx(
    *, core_title: str = "", heading: str | None = "Handlingsplan för e-arkiv", section: bool = True
) -> bytes:
    doc = WordDocument()
    doc.core_properties.title = core_title
    doc.core_properties.author = "Kommunledningskontoret"
    doc.core_properties.language = "sv-SE"
    doc.add_paragraph("Dnr KS 2024/118")  # a line above the heading, as in many templates
    if heading:
        doc.add_heading(heading, level=1)
    doc.add_paragraph("Kommunen ska införa ett gemensamt e-arkiv under 2025.")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Aktivitet"
    table.rows[0].cells[1].text = "Informationsklassning av verksamhetssystem"
    if section:
        doc.add_heading("Ansvar", level=2)
    doc.add_paragraph("Arkivmyndigheten följer upp arbetet.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3">
<office:automatic-styles>
 <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"/>
</office:automatic-styles>
<office:body><office:text>
 <text:p text:style-name="P1">Tjänsteskrivelse</text:p>
 <text:h text:style-name="Heading_20_1" text:outline-level="1">Riktlinje för digitala möten</text:h>
 <text:p text:style-name="P1">Nämnderna får hålla<text:s text:c="2"/>sammanträden på
 <text:span>distans</text:span> via videolänk.<text:line-break/>Beslutet gäller från 1 mars.
 </text:p>
 <text:list><text:list-item><text:p>Ledamöterna ska kunna höras och ses.</text:p></text:list-item>
 </text:list>
</office:text></office:body></office:document-content>"""

_ODT_META = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta>
 <dc:title>Mall</dc:title><dc:language>sv-SE</dc:language>
 <meta:creation-date>2024-02-12T09:30:00</meta:creation-date>
</office:meta></office:document-meta>"""


def make_odt(content: str = _ODT_CONTENT, mimetype: str = ODT) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", _ODT_META)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def _extract(data: bytes, name: str) -> Extracted:
    return extract(Fetched(Source(f"/srv/{name}", "file"), data, ""), ExtractOptions())


def test_docx_text_tables_and_first_heading_as_title() -> None:
    result = _extract(make_docx(core_title="Dokument1"), "plan.docx")
    assert result.content_type == DOCX
    assert result.title == "Handlingsplan för e-arkiv"
    text = result.text
    assert "gemensamt e-arkiv under 2025" in text
    assert "Informationsklassning av verksamhetssystem" in text  # table cells are text too
    assert "Arkivmyndigheten följer upp arbetet." in text
    assert result.language == "sv"
    assert result.metadata["author"] == "Kommunledningskontoret"


def test_docx_without_heading_takes_the_core_title_then_the_first_line() -> None:
    titled = _extract(make_docx(core_title="Plan för e-arkiv", heading=None), "a.docx")
    assert titled.title == "Plan för e-arkiv"
    sectioned = _extract(make_docx(core_title="", heading=None), "b.docx")
    assert sectioned.title == "Ansvar"  # a heading of any level before the first line
    untitled = _extract(make_docx(core_title="", heading=None, section=False), "c.docx")
    assert untitled.title == "Dnr KS 2024/118"


def test_docx_is_recognised_by_its_parts_whatever_its_name() -> None:
    result = _extract(make_docx(), "download.bin")
    assert result.content_type == DOCX


def test_odt_text_spaces_lists_heading_title_and_meta_date() -> None:
    result = _extract(make_odt(), "riktlinje.odt")
    assert result.content_type == ODT
    assert result.title == "Riktlinje för digitala möten"
    text = result.text
    assert "Nämnderna får hålla sammanträden på distans via videolänk." in text
    assert "Beslutet gäller från 1 mars." in text
    assert "Ledamöterna ska kunna höras och ses." in text
    assert [(d.value, d.kind) for d in result.dates] == [("2024-02-12", "created")]


def test_other_office_formats_get_a_clear_reason() -> None:
    with pytest.raises(UnsupportedTypeError, match="spreadsheet"):
        _extract(make_odt(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "a.ods")
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(UnsupportedTypeError, match="Excel"):
        _extract(workbook.getvalue(), "budget.xlsx")


def test_damaged_or_hostile_documents_fail_with_a_reason() -> None:
    broken = make_odt(content="<office:document-content><not closed")
    with pytest.raises(ExtractError, match="damaged"):
        _extract(broken, "trasig.odt")
    entities = make_odt(content='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(ExtractError, match="DOCTYPE"):
        _extract(entities, "entiteter.odt")


def test_a_folder_of_word_and_opendocument_files_is_ingested_and_served(tmp_path: Path) -> None:
    folder = tmp_path / "handlingar"
    folder.mkdir()
    (folder / "handlingsplan.docx").write_bytes(make_docx())
    (folder / "riktlinje.odt").write_bytes(make_odt())
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04 not read")
    settings = Settings(data_dir=tmp_path / "data", ingest_demo_on_start=False)
    with KnowledgeBase(settings) as kb:
        report = run(kb, resolve([str(folder)]), IngestOptions(delay=0.0))
        status = {Path(o.source).name: o.status for o in report.outcomes}
        assert status == {
            "budget.xlsx": "skipped",
            "handlingsplan.docx": "added",
            "riktlinje.odt": "added",
        }
        hits = kb.search(SearchRequest(q="videolänk")).hits
        assert [hit.title for hit in hits] == ["Riktlinje för digitala möten"]
        doc_id = hits[0].id
    app = create_app(settings)
    with app.test_client().get(f"/documents/{doc_id}/original") as response:
        assert response.status_code == 200
        assert response.mimetype == ODT
        assert "attachment" in response.headers["Content-Disposition"]
        assert "riktlinje.odt" in response.headers["Content-Disposition"]
        assert response.data.startswith(b"PK")


def test_a_damaged_word_file_fails_alone_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "blandat"
    folder.mkdir()
    good = make_docx()
    (folder / "a-trasig.docx").write_bytes(good[: len(good) // 2])  # cut off mid-archive
    (folder / "b-hel.docx").write_bytes(good)
    (folder / "c-utf16.txt").write_bytes("Protokoll om e-arkiv i Vara.\n".encode("utf-16-le"))
    settings = Settings(data_dir=tmp_path / "data", ingest_demo_on_start=False)
    with KnowledgeBase(settings) as kb:
        report = run(kb, resolve([str(folder)]), IngestOptions(delay=0.0))
    outcomes = {Path(o.source).name: o for o in report.outcomes}
    assert outcomes["a-trasig.docx"].status == "failed"
    assert outcomes["a-trasig.docx"].code == "unsupported-type"
    assert "damaged ZIP archive or Office document" in outcomes["a-trasig.docx"].reason
    assert outcomes["b-hel.docx"].status == "added"
    assert outcomes["c-utf16.txt"].status == "added"


def test_a_word_file_that_is_no_zip_archive_fails_with_its_reason(tmp_path: Path) -> None:
    folder = tmp_path / "blandat"
    folder.mkdir()
    # Damaged bytes without a NUL byte: once read as text and added with a mojibake title.
    (folder / "trasig.docx").write_bytes(bytes(range(1, 256)) * 4)
    (folder / "trasig.odt").write_bytes("Inte alls ett dokument".encode("cp1252"))
    (folder / "hel.docx").write_bytes(make_docx())
    settings = Settings(data_dir=tmp_path / "data", ingest_demo_on_start=False)
    with KnowledgeBase(settings) as kb:
        report = run(kb, resolve([str(folder)]), IngestOptions(delay=0.0))
    outcomes = {Path(o.source).name: o for o in report.outcomes}
    for name in ("trasig.docx", "trasig.odt"):
        assert outcomes[name].status == "failed", outcomes[name]
        assert "not a DOCX or ODT" in outcomes[name].reason
    assert outcomes["hel.docx"].status == "added"
