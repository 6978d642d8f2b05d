"""Time and peak memory of extracting one huge HTML page (issue 11: a 49 MB page took 79 s, 2.1 GB).

Usage:
    python -m bench.big_html --mb 50                 # generate the page, extract it in a child
    python -m bench.big_html --mb 50 --chars 2000000 # with another text cap (KB_MAX_TEXT_CHARS)

The page is generated (deterministic): a municipal web page whose body is a long table of
decisions with inline scripts, styles and navigation between blocks, as exported by some CMSs.
Extraction runs in a fresh child process so its peak resident memory (``ru_maxrss``) is its own.
Figures and the command are recorded in docs/extraction.md.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_TEXT = """kommunstyrelsen beslutar att anta handlingsplan för e-arkiv digitalisering e-tjänst
förvaltningen ska redovisa uppdraget nämnden bygglov välfärdsteknik informationssäkerhet
Uddevalla Trollhättan Vänersborg Fyrbodal samverkan upphandling avtal"""
_WORDS = _TEXT.split()


def generate(path: Path, megabytes: int, seed: int = 7) -> None:
    """Write an HTML page of about ``megabytes`` MB to ``path``."""
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as out:
        out.write('<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">')
        out.write("<title>Beslut i kommunstyrelsen</title></head><body>")
        out.write('<nav class="menu"><a href="/">Start</a></nav><main><h1>Beslut</h1><table>')
        written, row = 0, 0
        while written < target:
            row += 1
            words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 30)))
            chunk = (
                f'<tr class="row-{row}"><td class="nr"><span>§ {row}</span></td>'
                f'<td class="text"><div class="cell"><p>{words}.</p></div></td></tr>'
            )
            if row % 50 == 0:
                chunk += f"<script>window.track({row}, {json.dumps(words)});</script>"
                chunk += f"<style>.row-{row} td {{ color: #333; }}</style>"
            out.write(chunk)
            written += len(chunk.encode())
        out.write("</table></main></body></html>")


def child(path: str, max_chars: int | None) -> None:
    """Extract ``path`` as the pipeline would and print seconds, peak RSS and text length."""
    from ingest.extract.dispatch import ExtractOptions, extract
    from ingest.model import Fetched, Source

    data = Path(path).read_bytes()
    options = ExtractOptions()
    if max_chars is not None:  # the code before the cap had no such option
        options = ExtractOptions(max_text_chars=max_chars)
    started = time.perf_counter()
    result = extract(Fetched(Source(path, "file"), data, "text/html"), options)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": round(seconds, 1), "peak_mb": round(peak), "chars": len(result.text)}
    print(json.dumps({**figures, "notes": list(result.notes)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--chars", type=int, default=None)
    parser.add_argument("--child", default=None)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.chars)
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "stor-sida.html"
        generate(page, args.mb)
        size = page.stat().st_size / 1_048_576
        command = [sys.executable, "-m", "bench.big_html", "--child", str(page)]
        if args.chars is not None:
            command += ["--chars", str(args.chars)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        print(f"page {size:.1f} MB: {result.stdout.strip() or result.stderr[-2000:]}")


if __name__ == "__main__":
    main()
