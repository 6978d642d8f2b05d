"""Generate the fictitious Swedish demo corpus in corpus/demo/ from the sources in corpus/demo_src/.

Each ``*.src`` file holds a header (output file, fictional URL, rendering options and the
``intended`` metadata: doc type, focus areas, municipalities, regions, year) and a light-markup
body. PDFs are written with fpdf2's core Helvetica font (cp1252) and fixed dates, HTML through a
few site templates, so re-running yields byte-identical files. Run:
``.venv/bin/python scripts/make_demo_corpus.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
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
# The fpdf2 release that wrote the committed PDFs; other releases may lay the bytes out differently.
FPDF2_VERSION = "2.8.9"
MANIFEST_EXTRAS = ("date", "title", "publisher", "doc_type", "language")

# The project's municipality list gives the SCB codes for the names the sources use.
TAXONOMY_MUNICIPALITIES = ROOT / "corpus" / "taxonomy" / "municipalities.tsv"
DOC_TYPES = ("guide", "project", "decision", "plan", "report", "other")
FOCUS_AREAS = ("digital-kompetens", "digital-trygghet", "digital-innovation",
               "digitalt-ledarskap", "digital-infrastruktur")  # fmt: skip
REGIONS = ("fyrbodal", "goteborgsregionen", "sjuharad", "skaraborg", "jonkopings-lan")
ORDERED = re.compile(r"\d{1,2}\. ")
BOLD = re.compile(r"\*\*(.+?)\*\*")
STARTS_BLOCK = re.compile(r"(#{1,3} |- |> |\d{1,2}\. )")


class SourceError(ValueError):
    """A demo source file is malformed (the generator stops: the corpus must be complete)."""


@cache
def municipality_codes(path: Path = TAXONOMY_MUNICIPALITIES) -> dict[str, str]:
    """Short municipality name -> SCB code, from the taxonomy's tab-separated list."""
    try:
        lines = [ln for ln in path.read_text("utf-8").splitlines() if ln and ln[0] != "#"]
    except OSError as err:
        raise SourceError(f"cannot read {path}: {err}") from err
    return {row["name"]: row["code"] for row in csv.DictReader(lines, delimiter="\t")}


@dataclass(frozen=True)
class Block:
    """One body element: kind is h1/h2/h3/p/li/ol/meta/table/pagebreak (``label``: "1." of ol)."""

    kind: str
    text: str = ""
    label: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Intended:
    """What a document is about: taxonomy ids, SCB codes and the year.

    ``mentioned`` holds municipalities named only in passing: tagging them is acceptable, not
    required. The focus areas are the main ones; a document may touch others lightly.
    """

    path: str
    format: str
    doc_type: str
    year: int
    focus_areas: tuple[str, ...]
    municipality_names: tuple[str, ...]
    municipalities: tuple[str, ...]
    mentioned_names: tuple[str, ...]
    mentioned: tuple[str, ...]
    regions: tuple[str, ...]


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

    def intended(self) -> Intended:
        """The metadata this document was written to carry (what enrichment should find)."""
        names, mentioned = self.items("municipalities"), self.items("also_mentioned")
        codes = municipality_codes()
        return Intended(
            path=self.output,
            format=self.format,
            doc_type=self.meta["doc_type"],
            year=int(self.meta["year"]),
            focus_areas=self.items("focus_areas"),
            municipality_names=names,
            municipalities=tuple(codes[n] for n in names),
            mentioned_names=mentioned,
            mentioned=tuple(codes[n] for n in mentioned),
            regions=self.items("regions"),
        )


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
    bad += [m for m in names if m not in municipality_codes()]
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
    """A4 pages: optional running header; footer with the demo notice and page numbers."""

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


def write(pdf: FPDF, width: float, height: float, text: str, align: str = "L") -> None:
    """A wrapped text block that leaves the cursor at the left margin; ``**bold**`` is honoured."""
    pdf.multi_cell(width, height, text, align=align, new_x="LMARGIN", new_y="NEXT",
                   markdown="**" in text)  # fmt: skip


def render_pdf(src: DemoSource) -> bytes:
    """Lay the body out on A4 pages with fixed metadata dates."""
    pdf = DemoPdf(src)
    created = date.fromisoformat(src.get("created", f"{src.meta['year']}-01-15"))
    pdf.set_creation_date(datetime(created.year, created.month, created.day, 9, 0, tzinfo=UTC))
    # Only some PDFs carry a title, as in real sources; one carries a useless Word file name.
    setters = {"pdf_title": pdf.set_title, "pdf_author": pdf.set_author,
               "pdf_subject": pdf.set_subject, "pdf_creator": pdf.set_creator}  # fmt: skip
    for field, setter in setters.items():
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
            write(pdf, width, size * 0.5, block.text)
            pdf.ln(2)
        elif block.kind == "meta":
            pdf.set_font("Helvetica", "", 9)
            write(pdf, width, 4.6, block.text)
        elif block.kind in ("li", "ol"):
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 3)
            pdf.cell(5, 5.4, block.label or "•")
            write(pdf, width - 8, 5.4, block.text)
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
            write(pdf, width, 5.4, block.text, align)
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
        text = BOLD.sub(r"<strong>\1</strong>", text)
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
    """The (head, visible) date markup for the page's ``date_style``: meta, time, updated, text."""
    iso = src.get("published")
    if not iso:
        return "", ""
    day = date.fromisoformat(iso)
    long = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return {
        "meta": (f'<meta name="dcterms.date" content="{iso}">', ""),
        "time": (
            f'<meta property="article:published_time" content="{iso}T08:00:00+01:00">',
            f'<p class="published">Publicerad <time datetime="{iso}">{long}</time></p>',
        ),
        "updated": ("", f'<p class="updated">Senast uppdaterad: {long}</p>'),
        "text": ("", f'<p class="date">Publicerad {iso}</p>'),
    }[src.get("date_style", "time")]


def render_html(src: DemoSource, template_dir: Path = TEMPLATE_DIR) -> bytes:
    """A full page in the source's site template and declared encoding."""
    encoding = src.get("encoding", "utf-8")
    template = Template((template_dir / f"{src.get('template', 'plain')}.html").read_text("utf-8"))
    date_head, date_line = date_bits(src)
    description = html.escape(src.get("description"))
    page = template.substitute(
        charset=encoding,
        title=html.escape(src.title, quote=False),
        site=html.escape(src.get("site", "")),
        description=description and f'<meta name="description" content="{description}">',
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
    return render_html(src, template_dir) if src.format == "html" else render_text(src)


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
    # Left over from a renamed source: the caller decides whether to delete it.
    for extra in sorted(set(args.out.iterdir()) - set(written)):
        print(f"note: {extra.name} was not generated by any source", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
