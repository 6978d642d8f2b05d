"""Screenshots of the start, results and document pages for the README.

Starts the web app under waitress on 127.0.0.1 (a free port) over the demo corpus and saves
docs/screenshots/{start,results,document}.png with Debian's Chromium through Playwright:

    .venv/bin/python scripts/screenshots.py                # a fresh temporary data dir
    .venv/bin/python scripts/screenshots.py --data-dir data --query e-arkiv
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright
from waitress.server import create_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.config import Settings  # noqa: E402
from kb.search.request import SearchRequest  # noqa: E402
from kb.service import KnowledgeBase  # noqa: E402
from kbcli.serve_command import ingest_demo  # noqa: E402
from tests.web_corpus import launch_chromium  # noqa: E402 - the browser tests' own launcher
from web import create_app  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="data folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--query", default="e-arkiv", help="query for the results page")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kb-screenshots-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        settings = Settings.from_env(data_dir=data_dir, ingest_demo_on_start=True)
        kb = KnowledgeBase.open(settings)
        if kb.search(SearchRequest(page_size=1), facets=False).total == 0:
            ingest_demo(kb, settings)
        result = kb.search(SearchRequest(q=args.query))
        if not result.hits:
            print(f"Inga träffar för {args.query!r}: välj en annan --query", file=sys.stderr)
            return 1
        # The results page shows one facet in use: the focus area of the best hit.
        params = [("q", args.query)]
        if result.hits[0].focus_areas:
            params.append(("focus_area", result.hits[0].focus_areas[0]))
        pages = {
            "start": "/",
            "results": "/search?" + urlencode(params),
            "document": f"/documents/{result.hits[0].id}",
        }
        app = create_app(settings, {"KNOWLEDGE_BASE": kb})
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.effective_port}"
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as p:
                browser = launch_chromium(p)
                page = browser.new_page(viewport={"width": args.width, "height": args.height})
                for name, path in pages.items():
                    response = page.goto(base + path)
                    if response is None or response.status != 200:
                        print(f"{path}: HTTP {response and response.status}", file=sys.stderr)
                        return 1
                    target = args.out / f"{name}.png"
                    page.screenshot(path=str(target))
                    print(f"{target}  ({path})")
                browser.close()
        finally:
            server.task_dispatcher.shutdown()
            server.close()
            thread.join(timeout=10)
            kb.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
