"""Compare HTML extractors on the dev set: how much of a page's visible text each one keeps.

Usage: python -m bench.extraction_compare ../shared/devset [--show ID]
       python -m bench.extraction_compare ../shared/devset --all   # every document, every type

For every ``docs/html/*.html`` it prints the visible words (BeautifulSoup ``get_text`` after
dropping scripts, styles and templates), and for the project's extractor (``ingest``) and
trafilatura: the words kept, recall (share of the visible word multiset kept) and precision (share
of the kept words that are visible words). Figures and the command are recorded in
docs/extraction.md. Not a test: it reads the dev set, which tests must not depend on.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path

import click
from bs4 import BeautifulSoup

from ingest.extract.charset import decode
from ingest.extract.html import extract_html

_INVISIBLE = ("script", "style", "noscript", "template", "head")


def visible_text(data: bytes) -> str:
    """All text a browser could show: the page without scripts, styles and the head."""
    soup = BeautifulSoup(decode(data, None, html=True)[0], "html.parser")
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    return soup.get_text(" ")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in text.split() if any(c.isalnum() for c in w))


def overlap(kept: Counter[str], visible: Counter[str]) -> tuple[float, float]:
    common = sum((kept & visible).values())
    recall = common / max(1, sum(visible.values()))
    precision = common / max(1, sum(kept.values()))
    return recall, precision


def trafilatura_text(data: bytes) -> str:
    import trafilatura

    text, _ = decode(data, None, html=True)
    return trafilatura.extract(text, include_tables=True, favor_recall=True) or ""


def main(devset: Path, show: str | None = None) -> None:
    rows = []
    for path in sorted((devset / "docs" / "html").glob("*.html")):
        data = path.read_bytes()
        visible = words(visible_text(data))
        ours = extract_html(data).text
        theirs = trafilatura_text(data)
        if show and path.name.startswith(show):
            print("=== ingest ===\n", ours[:3000], "\n=== trafilatura ===\n", theirs[:3000])
        r1, p1 = overlap(words(ours), visible)
        r2, p2 = overlap(words(theirs), visible)
        rows.append((path.name[:40], sum(visible.values()), r1, p1, r2, p2))
    print(f"{'document':40} {'visible':>7} {'ingest R':>8} {'P':>5} {'trafil R':>8} {'P':>5}")
    for name, n, r1, p1, r2, p2 in rows:
        print(f"{name:40} {n:7d} {r1:8.2f} {p1:5.2f} {r2:8.2f} {p2:5.2f}")
    # The recall columns by literal index: a tuple indexed by a variable is any of its types.
    for label, recalls in (
        ("ingest", [row[2] for row in rows]),
        ("trafilatura", [row[4] for row in rows]),
    ):
        low = sum(1 for r in recalls if r < 0.3)
        print(
            f"{label}: median recall {statistics.median(recalls):.2f}, "
            f"mean {statistics.mean(recalls):.2f}, pages under 0.30: {low} of {len(rows)}"
        )


def check_all(devset: Path) -> None:
    """Extract every document of the dev set as ingest does; list failures and short texts."""
    from ingest.extract.dispatch import ExtractOptions, extract
    from ingest.media import type_for_name
    from ingest.model import Fetched, Source

    paths = sorted(p for p in (devset / "docs").glob("*/*") if p.is_file())
    failed = short = 0
    for path in paths:
        fetched = Fetched(Source(str(path), "file"), path.read_bytes(), type_for_name(path.name))
        try:
            text = extract(fetched, ExtractOptions()).text
        except Exception as err:  # report every failure, go on
            failed += 1
            print(f"FAILED {path.name}: {err}")
            continue
        if len(text) < 200:
            short += 1
            print(f"SHORT  {path.name}: {len(text)} characters")
    print(f"{len(paths)} documents: {failed} failed, {short} under 200 characters")


@click.command()
@click.argument("devset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--show", default=None, help="Print both extractors' text of this document id.")
@click.option("--all", "every", is_flag=True, help="Extract every document of every type.")
def cli(devset: Path, show: str | None, every: bool) -> None:
    """Compare the project's HTML extractor with trafilatura on the dev set DEVSET."""
    if every:
        check_all(devset)
        return
    try:
        import trafilatura  # noqa: F401  (a comparison tool, not a project dependency)
    except ImportError as err:
        raise click.ClickException(
            "trafilatura is not installed: pip install trafilatura==2.3.1 (docs/extraction.md)"
        ) from err
    main(devset, show)


if __name__ == "__main__":
    cli()
