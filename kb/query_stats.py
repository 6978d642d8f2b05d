"""Zero- and few-hit query statistics: what officers searched for and did not find.

An e-council plans its next guide from exactly that gap. Each search from the pages that finds
at most FEW_HITS documents with every word is counted per day, normalised query and filters, in
SQLite (``<data_dir>/stats/queries.sqlite3``, WAL mode: the web workers are separate processes
and write at the same time; each write is one short upsert). No personal data is kept: no
address, session, user agent or time of day (only the UTC day), queries are case-folded and cut
at MAX_QUERY_CHARS, and a query that looks like a personal identity number, an e-mail address or
a telephone number is not kept at all. The file stays bounded: days older than the retention are
deleted, and at most MAX_ROWS rows are kept (the oldest, rarest first). Recording never fails a
search: a locked or broken file is logged and skipped. Standard library and kb.search.request.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from kb.search.request import SearchRequest

log = logging.getLogger(__name__)

FEW_HITS = 3  # a search with at most this many full matches is "few hits"
MAX_QUERY_CHARS = 100
MAX_ROWS = 50_000  # about 5 MB of SQLite
PRUNE_EVERY = 200  # writes of one process between two prunings
BUSY_TIMEOUT = 0.5  # seconds a write waits for another worker's write; then it is skipped

# What must never be stored: a Swedish personal identity or co-ordination number (with or without
# century and separator), an e-mail address, or a telephone number (7 or more digits in a run,
# spaces and hyphens allowed). Matched on the original query, before normalisation.
PERSONAL = re.compile(
    r"\b(?:19|20)?\d{6}[-+ ]?\d{4}\b"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:\+|\b)\d(?:[ -]?\d){6,}"
)

# Pasted numbers carry typographic dashes and no-break spaces ("800101–1234", "070 123 45 67"
# from a Word document): read as the plain separators PERSONAL knows before it looks.
_SEPARATORS = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "-")
    | dict.fromkeys("\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000", " ")
    | dict.fromkeys("\u00ad\u200b", "")
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS query_stats (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    filters TEXT NOT NULL,
    searches INTEGER NOT NULL,
    zero_hits INTEGER NOT NULL,
    PRIMARY KEY (day, query, filters)
) WITHOUT ROWID
"""


@dataclass(frozen=True)
class QueryStat:
    """One query with its filters over a time window.

    Attributes:
        query: the normalised query (case-folded, spaces collapsed, cut).
        filters: the filters as URL parameters (``doc_type=guide&region=fyrbodal``), or "".
        searches: how many searches found few or no documents.
        zero_hits: how many of them found nothing at all.
        last_day: the last day (UTC, YYYY-MM-DD) it was searched.
    """

    query: str
    filters: str
    searches: int
    zero_hits: int
    last_day: str


def normalise_query(q: str) -> str | None:
    """The query as stored, or None when it is empty or looks like personal data."""
    if PERSONAL.search(q) or PERSONAL.search(q.translate(_SEPARATORS)):
        return None
    text = " ".join(q.casefold().split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] if " " in text[:MAX_QUERY_CHARS] else ""
        text = text or q.casefold().split()[0][:MAX_QUERY_CHARS]
    return text or None


def filters_key(request: SearchRequest) -> str:
    """The request's filters as sorted URL parameters (the year range as year_from/year_to)."""
    pairs = sorted((k, v) for k, values in request.filters.items() for v in values)
    if request.year_from is not None:
        pairs.append(("year_from", str(request.year_from)))
    if request.year_to is not None:
        pairs.append(("year_to", str(request.year_to)))
    return urlencode(pairs)[:500]


class QueryStats:
    """The statistics file of one data folder. Safe to share between threads and processes.

    Args:
        path: the SQLite file (created with its folder on the first write).
        retention_days: days kept; 0 turns recording off (``top`` still reads what is there).
        max_rows: the most rows kept.
    """

    def __init__(self, path: Path, retention_days: int = 365, max_rows: int = MAX_ROWS) -> None:
        self.path = Path(path)
        self.retention_days = retention_days
        self.max_rows = max_rows
        self._writes = 0
        self._lock = threading.Lock()
        self._ready = False
        # Each thread records through its own connection, opened once. Opened and closed per
        # search, the last close checkpointed the WAL and synced the file every time: 0.9 ms of
        # CPU and ~12 ms of the request's wall time per recorded search (docs/benchmarks.md,
        # "Results page, pages never asked, 2026-12-07").
        self._local = threading.local()
        self._writers: list[tuple[int, sqlite3.Connection]] = []  # (process id, connection)

    def _open(self, create: bool) -> sqlite3.Connection:
        """A connection with the pragmas set; ``create``: the file and its table made if new.
        Not bound to its thread: a recording connection is closed by ``close`` from another."""
        if create and not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        try:
            if create and not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(SCHEMA)
                self._ready = True
            conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    @contextmanager
    def _connect(self, create: bool) -> Iterator[sqlite3.Connection]:
        with closing(self._open(create)) as conn:
            yield conn

    def _writer(self) -> sqlite3.Connection:
        """This thread's connection for recording (a forked worker opens its own)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        conn = self._open(create=True)
        self._local.conn, self._local.pid = conn, os.getpid()
        with self._lock:
            self._writers.append((os.getpid(), conn))
        return conn

    def _drop_writer(self) -> None:
        # After an error the file may have been replaced or removed: the next search reconnects.
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None and self._local.pid == os.getpid():
            with self._lock:
                self._writers = [(p, c) for p, c in self._writers if c is not conn]
            conn.close()

    def close(self) -> None:
        """Close this process's recording connections (no search running); they reopen on use."""
        with self._lock:
            writers, self._writers = self._writers, []
        for pid, conn in writers:
            if pid == os.getpid():  # a parent's connection is the parent's to close
                conn.close()
        self._local = threading.local()

    def record(
        self, request: SearchRequest, hits: int, total: int, day: date | None = None
    ) -> bool:
        """Count a search with ``hits`` full matches (``total`` with partial ones) if few.

        Returns:
            Whether it was stored (not when recording is off, the hits are many, the query is
            empty or personal, or the file could not be written).
        """
        if self.retention_days <= 0 or hits > FEW_HITS or not request.q:
            return False
        query = normalise_query(request.q)
        if query is None:
            return False
        today = (day or datetime.now(UTC).date()).isoformat()
        try:
            conn = self._writer()
            conn.execute(
                "INSERT INTO query_stats VALUES (?, ?, ?, 1, ?) "
                "ON CONFLICT (day, query, filters) DO UPDATE SET "
                "searches = searches + 1, zero_hits = zero_hits + excluded.zero_hits",
                (today, query, filters_key(request), 1 if total == 0 else 0),
            )
            with self._lock:
                self._writes += 1
                due = self._writes % PRUNE_EVERY == 1
            if due:
                self._prune(conn, day or datetime.now(UTC).date())
        except (sqlite3.Error, OSError) as err:
            log.warning("query statistics not recorded (%s): %s", self.path, err)
            self._drop_writer()
            return False
        return True

    def prune(self, today: date | None = None) -> None:
        """Delete days past the retention and the rows beyond ``max_rows``."""
        with self._connect(create=True) as conn:
            self._prune(conn, today or datetime.now(UTC).date())

    def _prune(self, conn: sqlite3.Connection, today: date) -> None:
        cutoff = (today - timedelta(days=max(self.retention_days, 1))).isoformat()
        conn.execute("DELETE FROM query_stats WHERE day <= ?", (cutoff,))
        (rows,) = conn.execute("SELECT COUNT(*) FROM query_stats").fetchone()
        if rows > self.max_rows:
            conn.execute(
                "DELETE FROM query_stats WHERE (day, query, filters) IN ("
                "SELECT day, query, filters FROM query_stats "
                "ORDER BY day ASC, searches ASC LIMIT ?)",
                (rows - self.max_rows,),
            )

    def top(
        self,
        days: int = 30,
        limit: int = 50,
        zero_only: bool = False,
        today: date | None = None,
    ) -> list[QueryStat]:
        """The most frequent few- or zero-hit queries (with their filters) of the last ``days``.

        ``zero_only`` counts only searches that found nothing. Most searches first, then the
        newest, then the query. An empty list when nothing was recorded.
        """
        if not self.path.exists():
            return []
        since = ((today or datetime.now(UTC).date()) - timedelta(days=max(days, 1) - 1)).isoformat()
        measure = "zero_hits" if zero_only else "searches"
        with self._connect(create=False) as conn:
            rows = conn.execute(
                "SELECT query, filters, SUM(searches), SUM(zero_hits), MAX(day) "
                "FROM query_stats WHERE day >= ? GROUP BY query, filters "
                f"HAVING SUM({measure}) > 0 "
                f"ORDER BY SUM({measure}) DESC, MAX(day) DESC, query ASC LIMIT ?",
                (since, max(limit, 1)),
            ).fetchall()
        return [QueryStat(q, f, int(s), int(z), d) for q, f, s, z, d in rows]


def top_queries(
    data_dir: Path, days: int = 30, limit: int = 50, zero_only: bool = False
) -> list[QueryStat]:
    """The zero- and few-hit queries of a data folder (for `kb stats queries` and /admin).

    Reads ``<data_dir>/stats/queries.sqlite3``; see QueryStats.top for the arguments.
    """
    return QueryStats(stats_path(data_dir)).top(days=days, limit=limit, zero_only=zero_only)


def stats_path(data_dir: Path) -> Path:
    """Where a data folder keeps its query statistics."""
    return Path(data_dir) / "stats" / "queries.sqlite3"
