"""Harvest benchmark: what conditional requests save on a second `kb harvest` of a sitemap.

    python bench/harvest_bench.py /work/shared/devset/docs --limit 80 --changed 5

Serves the first ``--limit`` documents of a folder (the devset's real PDFs, HTML, Markdown and
text, read in place, never copied) on 127.0.0.1 with an ETag and a Last-Modified each, behind a
sitemap; registers the sitemap as a source in a temporary data folder and harvests it three
times: the first run adds everything, the second finds nothing changed, the third after
``--changed`` documents got new bytes (an appended line). Prints per run the wall time, the
requests, how many were answered 304 and the bytes the server sent, as a Markdown table.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.fetch.download import FetchOptions
from ingest.harvest import HarvestOptions, harvest
from ingest.pipeline import IngestOptions
from kb.config import Settings
from kb.service import KnowledgeBase
from kb.sources.registry import SourceRegistry, checked_source
from kb.sources.reports import HarvestFiles

TYPES = {".pdf": "application/pdf", ".html": "text/html; charset=utf-8", ".md": "text/markdown"}


class Served:
    """The documents by URL path, with the counters of one run."""

    def __init__(self, files: list[Path], root: Path) -> None:
        self.bodies = {"/" + quote(str(f.relative_to(root))): f.read_bytes() for f in files}
        self.stamp = formatdate(time.time() - 86400, usegmt=True)
        self.requests = self.not_modified = self.bytes = 0
        self.lock = threading.Lock()

    def etag(self, path: str) -> str:
        return '"' + hashlib.sha256(self.bodies[path]).hexdigest()[:16] + '"'


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        served: Served = self.server.served  # type: ignore[attr-defined]
        path = self.path
        if path == "/sitemap.xml":
            base = f"http://{self.headers['Host']}"
            locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in served.bodies)
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            self._send(200, {"Content-Type": "application/xml"}, body.encode())
            return
        if path not in served.bodies:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        headers = {
            "Content-Type": TYPES.get(Path(unquote(path)).suffix, "text/plain; charset=utf-8"),
            "ETag": served.etag(path),
            "Last-Modified": served.stamp,
        }
        if self.headers.get("If-None-Match") == headers["ETag"]:
            with served.lock:
                served.not_modified += 1
            self._send(304, headers, b"")
            return
        self._send(200, headers, served.bodies[path])

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        served: Served = self.server.served  # type: ignore[attr-defined]
        with served.lock:
            served.requests += 1
            served.bytes += len(body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@click.command()
@click.argument("docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(min=1), default=80, show_default=True)
@click.option("--changed", type=click.IntRange(min=0), default=5, show_default=True)
def main(docs: Path, limit: int, changed: int) -> None:
    files = sorted(p for p in docs.rglob("*") if p.is_file() and p.suffix in (*TYPES, ".txt"))
    served = Served(files[:limit], docs)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.served = served  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), ingest_demo_on_start=False)
        registry = SourceRegistry(settings.sources_path)
        registry.add(checked_source("bench", "sitemap", f"{base}/sitemap.xml", max_pages=10_000))
        files_ = HarvestFiles(settings.harvest_dir)
        options = HarvestOptions(IngestOptions(fetch=FetchOptions(timeout=30.0), delay=0.0))
        with KnowledgeBase.open(settings) as kb:
            for name in (
                "first (all new)",
                "second (nothing changed)",
                f"third ({changed} changed)",
            ):
                served.requests = served.not_modified = served.bytes = 0
                started = time.perf_counter()
                [report] = harvest(kb, registry, files_, options, names=["bench"])
                seconds = time.perf_counter() - started
                rows.append((name, seconds, served.requests, served.not_modified, served.bytes,
                             report.counts))  # fmt: skip
                if name.startswith("second"):
                    for path in list(served.bodies)[:changed]:
                        served.bodies[path] += b"\n\nTillagd rad / appended line.\n"
    print(f"{len(served.bodies)} documents from {docs}\n")
    print("| run | seconds | requests | 304 | bytes sent | outcomes |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, seconds, requests, not_modified, sent, counts in rows:
        outcome = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        print(f"| {name} | {seconds:.2f} | {requests} | {not_modified} | {sent:,} | {outcome} |")
    httpd.shutdown()


if __name__ == "__main__":
    main()
