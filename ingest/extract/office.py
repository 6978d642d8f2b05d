"""Word (DOCX) and OpenDocument text (ODT) extraction with the standard library: zip + XML.

Both formats are a ZIP of XML parts; only the text, the headings and the document properties are
needed, so reading ``word/document.xml`` + ``docProps/core.xml`` and ``content.xml`` +
``meta.xml`` directly is smaller than python-docx or odfpy (neither is needed at run time). The
title is the document's first heading (a "Title" or "Heading" style, or an outline level), then
the core properties' title unless it is junk, then the first line. Parts are read with a size cap
and refused when they declare a DOCTYPE (entity expansion), so a crafted file cannot exhaust memory.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable

from ingest.errors import ExtractError, UnsupportedTypeError
from ingest.extract.cleanup import clean_text
from ingest.extract.dates import iso_date
from ingest.media import DOCX, ODT
from ingest.model import DateFound, Extracted
from kb.document import Page

_MAX_PART_BYTES = 200 * 1024 * 1024  # uncompressed; a zip bomb stops here
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_JUNK_TITLE = re.compile(r"^(dokument\d*|document\d*|namnlös|untitled|mall|template)$", re.I)
# Other Office formats: named in the refusal so the person knows what to do.
_OTHER_OFFICE = {
    "xl/": "Excel-arbetsbok / Excel workbook",
    "ppt/": "PowerPoint-presentation / PowerPoint presentation",
}


def office_kind(data: bytes) -> str | None:
    """DOCX or ODT when ``data`` is such a ZIP, else None (judged by the parts, not the name).

    Raises:
        UnsupportedTypeError: another Office format (a workbook, a presentation, a spreadsheet).
        UnsupportedTypeError: also when the archive is damaged (cut off, no ZIP after its
            signature): what it was meant to be cannot be told.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and "content.xml" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype == ODT:
                    return ODT
                raise UnsupportedTypeError(
                    f"OpenDocument av typen {mimetype} läses inte; spara som PDF "
                    "/ only OpenDocument text is read: save it as PDF"
                )
    except zipfile.BadZipFile as err:
        raise UnsupportedTypeError(
            "Trasigt ZIP-arkiv eller Office-dokument, spara det som PDF / damaged ZIP archive "
            f"or Office document, save it as PDF ({err})"
        ) from err
    for prefix, what in _OTHER_OFFICE.items():
        if any(name.startswith(prefix) for name in names):
            raise UnsupportedTypeError(f"{what} läses inte; spara som PDF / save it as PDF")
    return None


def extract_office(data: bytes, kind: str) -> Extracted:
    """Extract a DOCX or ODT document (``kind`` from ``office_kind``).

    Raises:
        ExtractError: a damaged archive or XML part.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind == DOCX:
                return _docx(archive)
            return _odt(archive)
    except (zipfile.BadZipFile, ET.ParseError, KeyError, EOFError) as err:
        raise ExtractError(f"Trasigt Office-dokument / damaged document: {err}") from err


def _part(archive: zipfile.ZipFile, name: str, required: bool = True) -> ET.Element | None:
    if name not in archive.namelist():
        if required:
            raise ExtractError(f"Delen {name} saknas / part missing: {name}")
        return None
    with archive.open(name) as fh:
        raw = fh.read(_MAX_PART_BYTES + 1)
    if len(raw) > _MAX_PART_BYTES:
        raise ExtractError(f"{name} är för stor uppackad / too large when unpacked")
    if b"<!DOCTYPE" in raw[:4096] or b"<!ENTITY" in raw[:4096]:
        raise ExtractError(f"{name} deklarerar en DOCTYPE / declares a DOCTYPE: refused")
    return ET.fromstring(raw)


def _docx(archive: zipfile.ZipFile) -> Extracted:
    document = _part(archive, "word/document.xml")
    assert document is not None
    headings = _docx_heading_styles(_part(archive, "word/styles.xml", required=False))
    lines: list[str] = []
    titles: list[tuple[int, str]] = []  # (level, text): 0 for Title and Heading 1
    for para in _paragraphs(document, {_W + "p"}):
        text = _render(para, _docx_piece, {_W + "p"}).strip()
        if not text:
            continue
        lines.append(text)
        level = _docx_level(para, headings)
        if level is not None:
            titles.append((level, text))
    core = _part(archive, "docProps/core.xml", required=False)
    props = _props(core, {"title": _DC + "title", "author": _DC + "creator",
                          "subject": _DC + "subject", "keywords": _CP + "keywords",
                          "language": _DC + "language", "created": _DCTERMS + "created",
                          "modified": _DCTERMS + "modified"})  # fmt: skip
    return _extracted(lines, titles, props, DOCX)


def _docx_heading_styles(styles: ET.Element | None) -> dict[str, int]:
    """Heading level (0 for "Title" and "heading 1") per style id; ids are localised ("Rubrik1")
    but the names of built-in styles are not."""
    found: dict[str, int] = {}
    for style in styles.iter(_W + "style") if styles is not None else ():
        name = style.find(_W + "name")
        value = (name.get(_W + "val") or "").lower() if name is not None else ""
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        level: int | None = None
        if value == "title":
            level = 0
        elif value.startswith("heading ") and value[8:].isdigit():
            level = int(value[8:]) - 1
        elif outline is not None:
            level = _int(outline.get(_W + "val"))
        if level is not None:
            found[style.get(_W + "styleId") or ""] = level
    return found


def _docx_level(para: ET.Element, heading_styles: dict[str, int]) -> int | None:
    props = para.find(_W + "pPr")
    if props is None:
        return None
    outline = props.find(_W + "outlineLvl")
    if outline is not None:
        return _int(outline.get(_W + "val"))
    style = props.find(_W + "pStyle")
    return heading_styles.get(style.get(_W + "val") or "") if style is not None else None


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 9


def _docx_piece(el: ET.Element) -> str | None:
    if el.tag == _W + "t":
        return _flat(el.text)
    if el.tag == _W + "tab":
        return "\t"
    if el.tag in (_W + "br", _W + "cr"):
        return "\n"
    return None


def _odt(archive: zipfile.ZipFile) -> Extracted:
    content = _part(archive, "content.xml")
    assert content is not None
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    title_styles = _odt_title_styles(content, _part(archive, "styles.xml", required=False))
    lines: list[str] = []
    titles: list[tuple[int, str]] = []
    para_tags = {_TEXT + "p", _TEXT + "h"}
    for para in _paragraphs(body if body is not None else content, para_tags):
        text = _render(para, _odt_piece, para_tags).strip()
        if not text:
            continue
        lines.append(text)
        if (para.get(_TEXT + "style-name") or "") in title_styles:
            titles.append((0, text))
        elif para.tag == _TEXT + "h":
            titles.append((_int(para.get(_TEXT + "outline-level")) - 1, text))
    meta = _part(archive, "meta.xml", required=False)
    props = _props(meta, {"title": _DC + "title", "author": _META + "initial-creator",
                          "subject": _DC + "subject", "keywords": _META + "keyword",
                          "language": _DC + "language", "created": _META + "creation-date",
                          "modified": _DC + "date"})  # fmt: skip
    return _extracted(lines, titles, props, ODT)


def _odt_title_styles(*roots: ET.Element | None) -> set[str]:
    """Paragraph styles named "Title" or derived from it (automatic styles "P1" of a title)."""
    names = {"Title"}
    for root in roots:
        for style in root.iter(_STYLE + "style") if root is not None else ():
            if style.get(_STYLE + "parent-style-name") in names:
                names.add(style.get(_STYLE + "name") or "")
    return names


def _odt_piece(el: ET.Element) -> str | None:
    if el.tag == _TEXT + "s":
        return " " * int(el.get(_TEXT + "c") or "1")
    if el.tag == _TEXT + "tab":
        return "\t"
    if el.tag == _TEXT + "line-break":
        return "\n"
    return None


def _paragraphs(root: ET.Element, tags: set[str]) -> list[ET.Element]:
    """Paragraph elements in document order (those nested in a paragraph, e.g. a text box or a
    footnote, follow their paragraph)."""
    found: list[ET.Element] = []
    stack = [root]
    while stack:
        el = stack.pop()
        if el.tag in tags:
            found.append(el)
        stack.extend(reversed(list(el)))
    return found


def _render(para: ET.Element, piece: Callable[[ET.Element], str | None], tags: set[str]) -> str:
    """The text of one paragraph, without the paragraphs nested in it (they come on their own)."""
    parts: list[str] = []
    stack: list[tuple[ET.Element, bool]] = [(para, False)]
    while stack:
        el, after = stack.pop()
        if after:
            parts.append(_flat(el.tail) if el.tag.startswith(_TEXT) else "")
            continue
        if el is not para:
            if el.tag in tags:
                continue
            stack.append((el, True))
        special = piece(el)
        if special is not None:
            parts.append(special)
            continue
        parts.append(_flat(el.text) if el.tag.startswith(_TEXT) or el is para else "")
        stack.extend((child, False) for child in reversed(list(el)))
    return "".join(parts)


def _flat(text: str | None) -> str:
    # A line break in the XML is layout of the file; only <text:line-break/> or <w:br/> break.
    return (text or "").replace("\n", " ")


def _props(root: ET.Element | None, names: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, tag in names.items():
        el = root.find(f".//{tag}") if root is not None else None
        if el is not None and el.text and el.text.strip():
            values[key] = " ".join(el.text.split())
    return values


def _extracted(
    lines: list[str], headings: list[tuple[int, str]], props: dict[str, str], kind: str
) -> Extracted:
    """The title: the first Title or level-1 heading, the core title unless junk, the first
    heading of any level, the first line."""
    meta_title = props.get("title", "")
    if len(meta_title) < 3 or _JUNK_TITLE.match(meta_title):
        meta_title = ""
    top = next((text for level, text in headings if level <= 0), "")
    heading = top or meta_title or (headings[0][1] if headings else "")
    first = next((line for line in lines if len(line) <= 150), "")
    dates = tuple(
        DateFound(value, kind_, f"document {kind_}")
        for kind_ in ("created", "modified")
        if (value := iso_date(props.get(kind_, "")))
    )
    language = props.get("language", "").lower()[:2]
    return Extracted(
        title=" ".join((heading or first).split())[:300],
        pages=(Page(1, clean_text("\n".join(lines))),),
        content_type=kind,
        summary=props.get("subject", ""),
        language=language if language.isalpha() and len(language) == 2 else None,
        dates=dates,
        metadata={k: props[k] for k in ("author", "keywords") if props.get(k)},
    )
