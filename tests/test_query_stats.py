"""Zero- and few-hit query statistics (kb/query_stats.py): what is counted, what is never stored,
bounded size, concurrent writers in separate processes, the web hook and `kb stats queries`."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from kb.config import Settings
from kb.query_stats import MAX_QUERY_CHARS, QueryStats, normalise_query, stats_path, top_queries
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.main import cli
from tests.conftest import add_documents, make_document
from web import create_app

DAY = date(2026, 3, 2)


def req(q: str, **filters: tuple[str, ...]) -> SearchRequest:
    return SearchRequest(q=q, filters=filters).clamped()


def test_counts_zero_and_few_hits_per_query_and_filters(tmp_path: Path) -> None:
    stats = QueryStats(tmp_path / "q.sqlite3")
    assert stats.record(req("Bygglov  E-tjänst"), 0, 0, DAY)
    assert stats.record(req("bygglov e-tjänst"), 2, 2, DAY)
    assert stats.record(req("bygglov e-tjänst", region=("fyrbodal",)), 0, 0, DAY)
    assert not stats.record(req("e-arkiv"), 40, 40, DAY)  # many hits: not a gap
    assert not stats.record(req(""), 0, 0, DAY)  # browsing by filters
    top = stats.top(days=7, today=DAY)
    assert [(t.query, t.filters, t.searches, t.zero_hits) for t in top] == [
        ("bygglov e-tjänst", "", 2, 1),
        ("bygglov e-tjänst", "region=fyrbodal", 1, 1),
    ]
    zero = stats.top(days=7, zero_only=True, today=DAY)
    assert [t.zero_hits for t in zero] == [1, 1]


def test_time_window_and_retention(tmp_path: Path) -> None:
    stats = QueryStats(tmp_path / "q.sqlite3", retention_days=30)
    stats.record(req("gammal fråga"), 0, 0, DAY - timedelta(days=40))
    stats.record(req("förra veckan"), 0, 0, DAY - timedelta(days=6))
    stats.record(req("idag"), 0, 0, DAY)
    assert [t.query for t in stats.top(days=1, today=DAY)] == ["idag"]
    assert {t.query for t in stats.top(days=7, today=DAY)} == {"idag", "förra veckan"}
    assert len(stats.top(days=365, today=DAY)) == 3
    stats.prune(DAY)
    assert {t.query for t in stats.top(days=365, today=DAY)} == {"idag", "förra veckan"}


def test_size_is_bounded(tmp_path: Path) -> None:
    stats = QueryStats(tmp_path / "q.sqlite3", max_rows=50)
    for i in range(120):
        stats.record(req(f"fråga nummer {i}"), 0, 0, DAY)
    stats.prune(DAY)
    assert len(stats.top(days=1, limit=1000, today=DAY)) == 50


def test_personal_data_is_never_kept() -> None:
    for q in (
        "19800101-1234",
        "800101-1234 ansökan",
        "anna.svensson@uddevalla.se",
        "ring 070-123 45 67",
        "+46701234567",
        # Pasted from a document: a typographic dash, a no-break hyphen, no-break spaces (kept).
        "800101\u20131234",
        "800101\u20111234 bygglov",
        "800101\u00a01234",
        "ring 070\u00a0123\u00a045\u00a067",
        "070\u2011123\u202f45\u202f67",
    ):
        assert normalise_query(q) is None, q
    assert normalise_query("  GDPR   2018 ") == "gdpr 2018"
    long = normalise_query("digitalisering " * 30)
    assert long is not None and len(long) <= MAX_QUERY_CHARS and not long.endswith(" ")


def _write_many(path: str, n: int) -> None:
    stats = QueryStats(Path(path))
    for _ in range(n):
        assert stats.record(req("samtidig fråga"), 0, 0, DAY)


def test_concurrent_processes_lose_no_count(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    QueryStats(path).record(req("start"), 0, 0, DAY)  # create the file and WAL mode once
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), 100)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    counts = {t.query: t.searches for t in QueryStats(path).top(days=1, today=DAY)}
    assert counts["samtidig fråga"] == 400


def test_a_thread_keeps_its_connection_and_a_forked_worker_opens_its_own(tmp_path: Path) -> None:
    # One connection per thread: opened and closed per search, each close synced the file.
    stats = QueryStats(tmp_path / "q.sqlite3")
    assert stats.record(req("a"), 0, 0, DAY)
    first = stats._local.conn
    assert stats.record(req("b"), 0, 0, DAY)
    assert stats._local.conn is first
    pid = os.fork()
    if pid == 0:  # a `kb serve` worker: never writes through its parent's connection
        ok = stats.record(req("a"), 0, 0, DAY) and stats._local.conn is not first
        stats.close()
        os._exit(0 if ok else 1)
    assert os.waitpid(pid, 0)[1] == 0
    stats.close()
    assert {t.query: t.searches for t in stats.top(days=1, today=DAY)} == {"a": 2, "b": 1}
    assert stats.record(req("b"), 0, 0, DAY)  # reopens after close
    stats.close()


def test_web_searches_are_counted_without_address_or_agent(settings: Settings) -> None:
    kb = KnowledgeBase.open(settings)
    add_documents(kb, [make_document("https://x.example/a", "E-arkiv", "E-arkiv i kommunen.")])
    app = create_app(settings, {"TESTING": True, "KNOWLEDGE_BASE": kb})
    client = app.test_client()
    secret_headers = {
        "User-Agent": "HemligWebblasare/9.9",
        "X-Forwarded-For": "203.0.113.77",
        "Cookie": "session=abc123secret",
    }
    env = {"REMOTE_ADDR": "198.51.100.23"}
    for url in (
        "/search?q=zzqx+bygglov&region=fyrbodal",
        "/search?q=zzqx+bygglov&region=fyrbodal",
        "/embed?q=sjukhusfråga",
        "/search?q=e-arkiv",  # one hit: few
        "/search?q=anna%40example.se",  # an address: never kept
        "/search?q=zzqx&page=2",  # a later page of the same search: not counted again
    ):
        assert client.get(url, headers=secret_headers, environ_base=env).status_code == 200
    rows = top_queries(settings.data_dir, days=1)
    assert [(r.query, r.filters, r.searches, r.zero_hits) for r in rows] == [
        ("zzqx bygglov", "region=fyrbodal", 2, 2),
        ("e-arkiv", "", 1, 0),
        ("sjukhusfråga", "", 1, 1),
    ]
    kb.close()
    raw = b"".join(p.read_bytes() for p in stats_path(settings.data_dir).parent.iterdir())
    for secret in (
        b"203.0.113.77",
        b"198.51.100.23",
        b"HemligWebblasare",
        b"abc123secret",
        b"anna",
    ):
        assert secret not in raw
    with sqlite3.connect(stats_path(settings.data_dir)) as conn:
        columns = [c[1] for c in conn.execute("PRAGMA table_info(query_stats)")]
    assert columns == ["day", "query", "filters", "searches", "zero_hits"]


def test_recording_off_and_unwritable_file_never_fail_a_search(settings: Settings) -> None:
    off = QueryStats(settings.data_dir / "off.sqlite3", retention_days=0)
    assert not off.record(req("zzqx"), 0, 0, DAY)
    assert not (settings.data_dir / "off.sqlite3").exists()
    blocked = settings.data_dir / "blocked"
    blocked.mkdir(parents=True)
    (blocked / "stats").write_text("a file where the folder should be")
    broken = QueryStats(blocked / "stats" / "queries.sqlite3")
    assert broken.record(req("zzqx"), 0, 0, DAY) is False


def test_kb_stats_queries(settings: Settings) -> None:
    stats = QueryStats(stats_path(settings.data_dir))
    stats.record(req("bredband landsbygd", doc_type=("guide",)), 0, 0)
    stats.record(req("bredband landsbygd", doc_type=("guide",)), 1, 1)
    runner = CliRunner()
    args = ["stats", "queries", "--data-dir", str(settings.data_dir)]
    text = runner.invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert "bredband landsbygd  [doc_type=guide]" in text.output
    # The columns are named, in Swedish and English, and the period reads right for one day.
    assert "        2          1  bredband landsbygd" in text.output
    assert (
        "     sökt utan träff  fråga [filter]\n searched    no hits  query [filters]" in text.output
    )
    one_day = runner.invoke(cli, [*args, "--days", "1"]).output
    assert "det senaste dygnet / the last day" in one_day and "1 dagarna" not in one_day
    as_json = runner.invoke(cli, [*args, "--json", "--zero-only"])
    data = json.loads(as_json.output)
    assert data[0]["query"] == "bredband landsbygd" and data[0]["searches"] == 2
    assert data[0]["zero_hits"] == 1
    # `kb stats` itself still prints the index statistics.
    plain = runner.invoke(cli, ["stats", "--data-dir", str(settings.data_dir)])
    assert plain.exit_code == 0 and "Dokument i indexet" in plain.output
