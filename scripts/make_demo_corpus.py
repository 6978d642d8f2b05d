"""Generate the fictitious Swedish demo corpus in corpus/demo/ from the sources in corpus/demo_src/.

Each ``*.src`` file holds a header (output file, fictional URL, rendering options and the
``intended`` metadata: doc type, focus areas, municipalities, regions, year) and a light-markup
body. PDFs are written with fpdf2's core Helvetica font (cp1252) and fixed dates, HTML through a
few site templates, so re-running yields byte-identical files. Run:
``.venv/bin/python scripts/make_demo_corpus.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from string import Template

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
SRC_DIR = ROOT / "corpus" / "demo_src"
TEMPLATE_DIR = SRC_DIR / "templates"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december")  # fmt: skip
OUT_DIR = ROOT / "corpus" / "demo"
DEMO_NOTICE = "Demomaterial – fiktivt exempel för Kunskapsbanken"
# The fpdf2 release the committed PDFs were written with; other releases may lay bytes out differently.
FPDF2_VERSION = "2.8.9"
MANIFEST_EXTRAS = ("date", "title", "publisher", "doc_type", "language")

# SCB codes of the municipalities the sources may name in ``municipalities:``.
MUNICIPALITY_CODES = {
    "Uddevalla": "1485", "Trollhättan": "1488", "Vänersborg": "1487", "Lysekil": "1484",
    "Munkedal": "1430", "Dals-Ed": "1438", "Strömstad": "1486", "Åmål": "1492", "Sotenäs": "1427",
    "Skövde": "1496", "Lidköping": "1494", "Vara": "1470", "Falköping": "1499", "Skara": "1495",
    "Götene": "1471", "Mariestad": "1493", "Tidaholm": "1498", "Borås": "1490", "Mark": "1463",
    "Ulricehamn": "1491", "Bollebygd": "1443", "Svenljunga": "1465", "Tranemo": "1452",
    "Herrljunga": "1466", "Vårgårda": "1442", "Göteborg": "1480", "Mölndal": "1481",
    "Kungälv": "1482", "Ale": "1440", "Partille": "1402", "Lerum": "1441", "Härryda": "1401",
    "Alingsås": "1489", "Jönköping": "0680", "Värnamo": "0683", "Nässjö": "0682",
    "Gislaved": "0662", "Vetlanda": "0685", "Eksjö": "0686", "Tranås": "0687", "Lund": "1281",
    "Boden": "2582", "Umeå": "2480", "Uppsala": "0380", "Öckerö": "1407", "Trelleborg": "1287",
    "Stockholm": "0180",
}  # fmt: skip
DOC_TYPES = ("guide", "project", "decision", "plan", "report", "other")
FOCUS_AREAS = (
    "digital-kompetens",
    "digital-trygghet",
    "digital-innovation",
    "digitalt-ledarskap",
    "digital-infrastruktur",
)
REGIONS = ("fyrbodal", "goteborgsregionen", "sjuharad", "skaraborg", "jonkopings-lan")


ORDERED = re.compile(r"\d{1,2}\. ")
STARTS_BLOCK = re.compile(r"(#{1,3} |- |> |\d{1,2}\. )")


class SourceError(ValueError):
    """A demo source file is malformed (the generator stops: the corpus must be complete)."""


@dataclass(frozen=True)
class Block:
    """One body element: kind is h1/h2/h3/p/li/ol/meta/table/pagebreak (``label``: "1." of ol)."""

    kind: str
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class DemoSource:
    """One parsed ``.src`` file."""

    key: str
    meta: dict[str, str]
    body: str

    def get(self, name: str, default: str = "") -> str:
        return self.meta.get(name, default)

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.get(name).split(",") if v.strip())

    @property
    def output(self) -> str:
        return self.meta["output"]

    @property
    def format(self) -> str:
        return self.output.rsplit(".", 1)[-1]

    @property
    def title(self) -> str:
        return next((b.text for b in parse_body(self.body) if b.kind == "h1"), self.key)

    def intended(self) -> dict[str, object]:
        """The metadata this document was written to carry (what enrichment should find)."""
        names = self.items("municipalities")
        mentioned = self.items("also_mentioned")
        return {
            "path": self.output,
            "format": self.format,
            "doc_type": self.meta["doc_type"],
            "year": int(self.meta["year"]),
            "focus_areas": self.items("focus_areas"),
            "municipality_names": names,
            "municipalities": tuple(MUNICIPALITY_CODES[n] for n in names),
            # Named in passing only: tagging them is acceptable, not required.
            "mentioned_names": mentioned,
            "mentioned": tuple(MUNICIPALITY_CODES[n] for n in mentioned),
            "regions": self.items("regions"),
        }


def read_source(path: Path) -> DemoSource:
    """Parse ``key: value`` header lines, a ``===`` line, then the body."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n===\n")
    if not sep:
        raise SourceError(f"{path.name}: no '===' line between header and body")
    meta: dict[str, str] = {}
    for line in head.splitlines():
        if line.strip():
            name, colon, value = line.partition(":")
            if not colon:
                raise SourceError(f"{path.name}: bad header line {line!r}")
            meta[name.strip()] = value.strip()
    src = DemoSource(key=path.stem, meta=meta, body=body.strip("\n") + "\n")
    validate(src)
    return src


def validate(src: DemoSource) -> None:
    """Reject sources whose intended metadata would make the spread checks meaningless."""
    for name in ("output", "url", "doc_type", "year", "focus_areas"):
        if not src.get(name):
            raise SourceError(f"{src.key}: missing header {name!r}")
    if src.meta["doc_type"] not in DOC_TYPES:
        raise SourceError(f"{src.key}: unknown doc_type {src.meta['doc_type']!r}")
    bad = [f for f in src.items("focus_areas") if f not in FOCUS_AREAS]
    bad += [r for r in src.items("regions") if r not in REGIONS]
    names = src.items("municipalities") + src.items("also_mentioned")
    bad += [m for m in names if m not in MUNICIPALITY_CODES]
    if bad:
        raise SourceError(f"{src.key}: unknown taxonomy values {bad}")
    if src.format not in ("pdf", "html", "txt", "md"):
        raise SourceError(f"{src.key}: unsupported output {src.output!r}")


def load_sources(src_dir: Path = SRC_DIR) -> list[DemoSource]:
    """All sources, sorted by file name, with unique outputs."""
    sources = [read_source(p) for p in sorted(src_dir.glob("*.src"))]
    outputs = [s.output for s in sources]
    if len(set(outputs)) != len(outputs):
        raise SourceError("two sources write the same output file")
    return sources


def parse_body(body: str) -> list[Block]:
    """Light markup: #/##/### headings, '- ' bullets, '> ' meta lines, '|' table rows,
    '[sidbrytning]' page breaks, blank-line paragraphs; a trailing '\\' keeps a hard line break."""
    blocks: list[Block] = []
    para: list[str] = []
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if para:
            text = "".join(p[:-1] + "\n" if p.endswith("\\") else p + " " for p in para)
            blocks.append(Block("p", text.strip()))
            para.clear()
        if rows:
            blocks.append(Block("table", rows=tuple(rows)))
            rows.clear()

    for raw in body.splitlines():
        line = raw.rstrip()
        if line.startswith("|"):
            if para:
                flush()
            rows.append(tuple(c.strip() for c in line.strip("|").split("|")))
            continue
        if not line or line == "[sidbrytning]" or STARTS_BLOCK.match(line):
            flush()
        if not line:
            continue
        if line == "[sidbrytning]":
            blocks.append(Block("pagebreak"))
        elif line.startswith("#"):
            level, _, text = line.partition(" ")
            blocks.append(Block(f"h{len(level)}", text.strip()))
        elif line.startswith("- "):
            blocks.append(Block("li", line[2:].strip()))
        elif ORDERED.match(line):
            label, _, text = line.partition(" ")
            blocks.append(Block("ol", text.strip(), label=label))
        elif line.startswith("> "):
            blocks.append(Block("meta", line[2:].strip()))
        else:
            para.append(line)
    flush()
    return blocks


class DemoPdf(FPDF):
    """A4 page with an optional running header and the demo notice plus page numbers in the footer."""

    def __init__(self, src: DemoSource) -> None:
        super().__init__(format="A4")
        self.src = src
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(22, 22, 22)
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        running = self.src.get("running_header")
        if running:
            self.set_font("Helvetica", "", 8)
            self.set_text_color(90, 90, 90)
            self.set_y(10)
            self.cell(0, 4, running, align="L")
            self.line(22, 15, 188, 15)
            self.set_y(22)
            self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        note = self.src.get("footer_note")
        if note:
            self.cell(0, 4, note, align="L", new_x="LMARGIN", new_y="NEXT")
        self.cell(120, 4, DEMO_NOTICE, align="L")
        self.cell(0, 4, f"Sida {self.page_no()} av {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(src: DemoSource) -> bytes:
    """Lay the body out on A4 pages with fixed metadata dates."""
    pdf = DemoPdf(src)
    created = date.fromisoformat(src.get("created", f"{src.meta['year']}-01-15"))
    pdf.set_creation_date(datetime(created.year, created.month, created.day, 9, 0, tzinfo=UTC))
    for field, setter in (
        ("pdf_title", pdf.set_title),
        ("pdf_author", pdf.set_author),
        ("pdf_subject", pdf.set_subject),
        ("pdf_creator", pdf.set_creator),
    ):
        if src.get(field):
            setter(src.get(field))
    if src.get("pdf_lang"):
        pdf.set_lang(src.get("pdf_lang"))
    align = src.get("align", "L")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for block in parse_body(src.body):
        if block.kind == "pagebreak":
            pdf.add_page()
        elif block.kind in ("h1", "h2", "h3"):
            size = {"h1": 17, "h2": 13, "h3": 11}[block.kind]
            pdf.ln(3 if block.kind != "h1" else 0)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(width, size * 0.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif block.kind == "meta":
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(width, 4.6, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        elif block.kind in ("li", "ol"):
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 3)
            pdf.cell(5, 5.4, block.label or "•")
            pdf.multi_cell(width - 8, 5.4, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)
        elif block.kind == "table":
            pdf.ln(1)
            pdf.set_font("Helvetica", "", 9)
            with pdf.table(text_align="LEFT", line_height=5, padding=1.2) as table:
                for row in block.rows:
                    table.row(row)
            pdf.ln(2)
        else:
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(width, 5.4, block.text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.4)
    return bytes(pdf.output())


def body_html(src: DemoSource) -> str:
    """The body blocks as an HTML fragment (headings, paragraphs, lists, tables)."""
    out: list[str] = []
    open_list = ""
    for block in parse_body(src.body):
        tag = {"li": "ul", "ol": "ol"}.get(block.kind, "")
        if open_list and tag != open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        text = html.escape(block.text, quote=False).replace("\n", "<br>\n")
        if block.kind in ("h1", "h2", "h3"):
            out.append(f"<{block.kind}>{text}</{block.kind}>")
        elif tag:
            if not open_list:
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"  <li>{text}</li>")
        elif block.kind == "meta":
            out.append(f'<p class="meta">{text}</p>')
        elif block.kind == "table":
            cells = [
                "".join(f"<{tag}>{html.escape(c, quote=False)}</{tag}>" for c in row)
                for tag, row in (("th" if i == 0 else "td", r) for i, r in enumerate(block.rows))
            ]
            out.append("<table>\n" + "\n".join(f"  <tr>{c}</tr>" for c in cells) + "\n</table>")
        elif block.kind == "p":
            out.append(f"<p>{text}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    out.append(f'<p class="demo-notice"><small>{DEMO_NOTICE}</small></p>')
    return "\n".join(out)


def date_bits(src: DemoSource) -> tuple[str, str]:
    """The (head, visible) date markup for the page's ``date_style``; ``none`` shows no date."""
    iso = src.get("published")
    if not iso:
        return "", ""
    day = date.fromisoformat(iso)
    long = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    style = src.get("date_style", "time")
    if style == "meta":
        return f'<meta name="dcterms.date" content="{iso}">', ""
    if style == "time":
        head = f'<meta property="article:published_time" content="{iso}T08:00:00+01:00">'
        return head, f'<p class="published">Publicerad <time datetime="{iso}">{long}</time></p>'
    if style == "updated":
        return "", f'<p class="updated">Senast uppdaterad: {long}</p>'
    if style == "text":
        return "", f'<p class="date">Publicerad {iso}</p>'
    return "", ""


def render_html(src: DemoSource, template_dir: Path = TEMPLATE_DIR) -> bytes:
    """A full page in the source's site template and declared encoding."""
    encoding = src.get("encoding", "utf-8")
    template = Template((template_dir / f"{src.get('template', 'plain')}.html").read_text("utf-8"))
    date_head, date_line = date_bits(src)
    description = src.get("description")
    page = template.substitute(
        charset=encoding,
        title=html.escape(src.title, quote=False),
        site=html.escape(src.get("site", "")),
        description=f'<meta name="description" content="{html.escape(description)}">'
        if description
        else "",
        date_head=date_head,
        date_line=date_line,
        section=html.escape(src.get("section", "Kommun och politik")),
        article=body_html(src),
    )
    if src.get("newline") == "crlf":
        page = page.replace("\n", "\r\n")
    return page.encode(encoding)


def render_text(src: DemoSource) -> bytes:
    """Plain text and Markdown are written as authored, with the demo notice appended."""
    marker = f"\n---\n*{DEMO_NOTICE}*\n" if src.format == "md" else f"\n{DEMO_NOTICE}\n"
    return (src.body + marker).encode("utf-8")


def render(src: DemoSource, template_dir: Path = TEMPLATE_DIR) -> bytes:
    """The bytes of one demo document."""
    if src.format == "pdf":
        return render_pdf(src)
    if src.format == "html":
        return render_html(src, template_dir)
    return render_text(src)


def manifest_line(src: DemoSource) -> str:
    """One manifest record: path, url and only the metadata an editor would supply."""
    record: dict[str, str] = {"path": src.output, "url": src.meta["url"]}
    for name in MANIFEST_EXTRAS:
        if src.get(f"manifest.{name}"):
            record[name] = src.get(f"manifest.{name}")
    return json.dumps(record, ensure_ascii=False)


def generate(out_dir: Path = OUT_DIR, src_dir: Path = SRC_DIR) -> list[Path]:
    """Write every document and manifest.jsonl into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sources = load_sources(src_dir)
    for src in sources:
        target = out_dir / src.output
        target.write_bytes(render(src, src_dir / "templates"))
        written.append(target)
    manifest = out_dir / "manifest.jsonl"
    lines = [manifest_line(s) for s in sorted(sources, key=lambda s: s.output)]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written.append(manifest)
    return written


def stale_files(out_dir: Path, written: list[Path]) -> Iterator[Path]:
    """Files in ``out_dir`` that no source produced (left over from a renamed source)."""
    keep = {p.resolve() for p in written}
    return (p for p in sorted(out_dir.iterdir()) if p.is_file() and p.resolve() not in keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    parser.add_argument("--src", type=Path, default=SRC_DIR, help="folder of *.src files")
    args = parser.parse_args(argv)
    try:
        written = generate(args.out, args.src)
    except (SourceError, KeyError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {len(written) - 1} documents and manifest.jsonl to {args.out}")
    for extra in stale_files(args.out, written):
        print(f"note: {extra.name} was not generated by any source", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
