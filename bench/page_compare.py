"""The HTML of a broad set of pages, written to one file so that two checkouts can be compared byte
for byte (``cmp``): rendering changes must not change a page.

Opens ``--data-dir`` through ``create_app`` in one process and requests, with Flask's test client
and no cookie jar, the results pages of bench/web_bench.py and, for some of them, the English
page (``?lang=en`` and the language cookie), ``show_all``, the embed (Swedish and English), page 2,
another sort, a zero-hit search with filters (the "without this filter" help), a partial match,
escaped and odd queries, a page past the end, the start page, three document pages (a 404 where
the data folder keeps no documents, as the generated benchmark data) and a few pages under another
application root (``/kb``). The whole list is requested three times (in order, reversed, then
shuffled with a fixed seed), so that a cache filled by one page is read by another in different
orders; every answer (status, Location, the main headers, body) is written in turn.

    cd CHECKOUT && /work/main/.venv/bin/python bench/page_compare.py \
        --data-dir /work/bench-data/100k/data --out /tmp/pages-NAME.jsonl
    cmp /tmp/pages-before.jsonl /tmp/pages-after.jsonl

Run it from a checkout (or a ``git archive`` copy of another commit) to dump that code's pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.web_bench import BENCH_ENV, QUERIES, search_urls
from kb.config import Settings
from web import create_app

os.environ.update(BENCH_ENV)  # no request limits, no query statistics (bench/web_bench.py)

# Response headers compared besides the body.
HEADERS = ("Content-Type", "Content-Length", "Content-Security-Policy", "Set-Cookie", "Vary")
# Queries whose pages test escaping, partial matches and zero hits (none is tuned to a document).
ODD_QUERIES = (
    "<script>alert(\"x\")</script> & 'ö'",
    '"e-arkiv"',
    "e-arkiv zzqxwv",
    "bygglov digital kompetens qqzzyx",
    "zzqxwvkk",
    "a&b=c%20<i>",
    "e-ark*",
    "Informationssäkerhet OR bredband",
)


def page_urls(client: Any) -> list[tuple[str, dict[str, str]]]:
    """(URL, extra WSGI environ) of every page to dump."""
    plain: list[str] = []
    hit_ids: list[str] = []
    for q in QUERIES:
        api = client.get("/api/search?" + urlencode({"q": q, "page_size": 2})).get_json()
        plain += search_urls(q, api["facets"])
        hit_ids += [h["id"] for h in api["results"]][:1]
    pages = list(plain)
    for url in plain[::3]:
        query = url.split("?", 1)[1]
        pages += [
            f"{url}&lang=en" if query else f"{url}lang=en",
            f"{url}&show_all=municipality&show_all=region",
            "/embed?" + query,
            "/embed?" + query + "&lang=en",
            f"{url}&sort=added&page=2",
        ]
    for q in ODD_QUERIES:
        pages.append("/search?" + urlencode({"q": q}))
        pages.append("/search?" + urlencode({"q": q, "lang": "en"}))
        pages.append("/embed?" + urlencode({"q": q}))
    # Zero hits under filters: the page counts the search without each one.
    pages.append(
        "/search?" + urlencode([("q", "bygglov"), ("year_from", "1901"), ("year_to", "1902")])
    )
    facets = client.get("/api/search?page_size=1").get_json()["facets"]
    first = {name: values[0]["value"] for name, values in facets.items() if values}
    pages.append(
        "/search?"
        + urlencode([("q", "e-arkiv"), ("doc_type", first["doc_type"]), ("year_to", "1900")])
    )
    pages.append(
        "/search?"
        + urlencode(
            [("q", "zzqxwvkk"), ("focus_area", first["focus_area"]), ("region", first["region"])]
        )
    )
    pages.append(
        "/search?"
        + urlencode(
            [
                ("q", "bredband"),
                ("municipality", first["municipality"]),
                ("year_from", "1901"),
                ("year_to", "1901"),
            ]
        )
    )
    pages.append("/search?" + urlencode([("q", "e-arkiv"), ("page", "99999")]))
    pages.append("/search?" + urlencode([("q", "bredband"), ("page_size", "50")]))
    pages += ["/", "/?lang=en"] + [f"/documents/{i}" for i in hit_ids[:3]]
    out: list[tuple[str, dict[str, str]]] = [(u, {}) for u in pages]
    # The language chosen by the cookie rather than the URL.
    out += [(u, {"HTTP_COOKIE": "kb_lang=en"}) for u in plain[:6]]
    # Under another application root every link starts with it.
    out += [(u, {"base_url": "http://localhost/kb"}) for u in [*plain[:4], "/embed?q=bredband"]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the data folder to search")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines file to write")
    args = parser.parse_args(argv)
    app = create_app(replace(Settings.from_env(), data_dir=args.data_dir))
    client = app.test_client(use_cookies=False)
    urls = page_urls(client)
    order = list(urls) + urls[::-1]
    shuffled = list(urls)
    random.Random(13).shuffle(shuffled)
    order += shuffled
    statuses: dict[int, int] = {}
    with args.out.open("w", encoding="utf-8") as out:
        for url, environ in order:
            if "base_url" in environ:
                response = client.get(url, base_url=environ["base_url"])
            else:
                response = client.get(url, environ_base=environ)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            record = {
                "url": url,
                "environ": environ,
                "status": response.status_code,
                "location": response.headers.get("Location", ""),
                # The cookie's Expires is the clock's: left out.
                "headers": {
                    k: re.sub(r"Expires=[^;]*; ", "", response.headers.get(k, "")) for k in HEADERS
                },
                "body": response.get_data(as_text=True),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(urls)} URLs x 3 passes, statuses {statuses}, written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
