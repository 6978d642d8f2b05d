"""Screenshots of the results page at 375 and 1280 CSS px for docs/screenshots/, taken in real
Chromium (Playwright with /usr/bin/chromium) against the web test corpus served on 127.0.0.1.

    PYTHONPATH=$PWD .venv/bin/python scripts/screenshots_phone.py [--out docs/screenshots]

(scripts/screenshots.py takes the README's start, results and document pages.)

Writes search-375.png (results first, "Filtrera (n)"), search-375-filters.png (the drawer open),
search-375-suggestions.png (suggestions for "jonk") and search-1280.png (filters beside the hits).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.web_corpus import UDDEVALLA, LiveServer, build_corpus, launch_chromium
from web import create_app
from web.context import EXTENSION_KEY

ROOT = Path(__file__).resolve().parent.parent
SEARCH = f"/search?q=e-arkiv&municipality={UDDEVALLA}&focus_area=digital-infrastruktur"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(Path(tmp) / "data")
        app = create_app(corpus.settings)
        with LiveServer(app) as live, sync_playwright() as p:
            browser = launch_chromium(p)
            phone = browser.new_page(viewport={"width": 375, "height": 812})
            phone.goto(live.url + SEARCH)
            phone.screenshot(path=str(args.out / "search-375.png"))
            phone.locator("#filter-toggle").click()
            phone.locator("#filter-drawer-close").wait_for()
            phone.screenshot(path=str(args.out / "search-375-filters.png"))
            phone.keyboard.press("Escape")
            phone.locator("#q").fill("")
            phone.locator("#q").type("jonk")
            phone.locator("#q-suggestions li").first.wait_for()
            phone.keyboard.press("ArrowDown")
            phone.screenshot(path=str(args.out / "search-375-suggestions.png"))
            desktop = browser.new_page(viewport={"width": 1280, "height": 900})
            desktop.goto(live.url + SEARCH)
            desktop.screenshot(path=str(args.out / "search-1280.png"))
            browser.close()
        app.extensions[EXTENSION_KEY].close()
    for name in sorted(args.out.glob("search-*.png")):
        print(name.relative_to(ROOT) if name.is_relative_to(ROOT) else name)


if __name__ == "__main__":
    main()
