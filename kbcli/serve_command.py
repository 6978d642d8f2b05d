"""`kb serve`: run the web front end under waitress (a production WSGI server, not Flask's).

Opens the knowledge base once, ingests corpus/demo when the index is empty and
``settings.ingest_demo_on_start`` is on, then serves the pages, the API and the embed.
"""

from __future__ import annotations

import logging
import time

import click
from waitress.server import create_server

from ingest.stage import Stager
from kb.analysis.analyzer import warm_up
from kb.config import Settings
from kb.errors import KbError
from kb.search.request import SearchRequest
from kb.service import KnowledgeBase
from kbcli.options import data_dir_option, kb_errors
from kbcli.prefork import bind, serve_forked, tune_collector
from web import create_app
from web.admin.state import STAGER_KEY, StagerLike

log = logging.getLogger("kunskapsbanken.serve")


class OncePerInterval(logging.Filter):
    """Let one record through per ``seconds`` and count the rest into the next one.

    waitress warns "Task queue depth is N" for every request that waits for a thread: under load
    that is a line per request, which buries every other line of the log. Staff still see that
    the server is queueing, once a minute, with how often it did.
    """

    def __init__(self, seconds: float = 60.0) -> None:
        super().__init__()
        self.seconds = seconds
        self._last = -seconds
        self._held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._last < self.seconds:
            self._held += 1
            return False
        if self._held:
            record.msg = f"{record.msg} (och {self._held} gånger till / and {self._held} more)"
        self._last, self._held = now, 0
        return True


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    envvar="KB_HOST",
    show_default=True,
    help="Address to listen on (env KB_HOST); 0.0.0.0 for every interface.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    envvar="KB_PORT",
    show_default=True,
    help="Port to listen on (env KB_PORT); 0 picks a free port.",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Worker threads answering requests.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=1,
    envvar="KB_WORKERS",
    show_default=True,
    help="Server processes (env KB_WORKERS). One process uses one core: give as many as cores.",
)
@click.option(
    "--debug",
    is_flag=True,
    default=False,
    help="Verbose logging of every request. Never enables a debugger; off by default.",
)
@click.option(
    "--contact-email",
    default="",
    envvar="KB_CONTACT_EMAIL",
    help="Where users report accessibility problems (env KB_CONTACT_EMAIL); shown on "
    "/tillganglighet.",
)
@click.option(
    "--ocr-command",
    default="tesseract",
    envvar="KB_OCR_COMMAND",
    show_default=True,
    help="Tesseract for scanned PDFs uploaded in the admin (env KB_OCR_COMMAND); '' for no OCR.",
)
@data_dir_option
@kb_errors
def serve(
    settings: Settings,
    host: str,
    port: int,
    threads: int,
    workers: int,
    debug: bool,
    contact_email: str,
    ocr_command: str,
) -> None:
    """Starta webbtjänsten: serve the search pages, the JSON API and /embed."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("waitress.queue").addFilter(OncePerInterval())
    kb = KnowledgeBase.open(settings)
    # Read the index once before listening: an outdated or broken index stops here with kb's
    # message ("kör `kb reindex`") instead of answering every search with an error page.
    documents = kb.search(SearchRequest(page_size=1), facets=False).total
    if documents == 0 and settings.ingest_demo_on_start:
        ingest_demo(kb, settings)
    # The completion tables take seconds at 100,000 documents: built here, before any worker
    # forks, the first keystroke is answered at once and the workers share them copy-on-write.
    kb.prepare_suggestions()
    # Likewise the lexicon and the snippets' term keys (a scan of the lexicon, ~0.2 s, otherwise
    # made by each worker's first results page, in each worker's own memory).
    warm_up()
    # The admin stages uploads through ingest, which web must not import: it gets the stager here.
    stager: StagerLike = Stager(settings, ocr_command=ocr_command)
    app = create_app(
        settings,
        {"KNOWLEDGE_BASE": kb, "CONTACT_EMAIL": contact_email, STAGER_KEY: stager},
    )
    if debug:
        _log_requests(app)
    shown_host = f"[{host}]" if ":" in host else host
    if workers > 1:
        try:
            sock = bind(host, port)
        except OSError as err:
            kb.close()
            raise _cannot_listen(shown_host, port, err) from err
        click.echo(
            f"Kunskapsbanken: http://{shown_host}:{sock.getsockname()[1]}/  "
            f"({workers} processer; Ctrl+C stoppar)"
        )
        # Each worker opens its own readers (open files must not be shared across a fork) and
        # shares the snapshot built above copy-on-write.
        serve_forked(app, sock, workers, threads, before_fork=kb.close_readers)
        click.echo("Stoppad.")
        return
    tune_collector()
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="Kunskapsbanken")
    except OSError as err:
        kb.close()
        raise _cannot_listen(shown_host, port, err) from err
    click.echo(f"Kunskapsbanken: http://{shown_host}:{server.effective_port}/  (Ctrl+C stoppar)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("Stoppad.")
    finally:
        server.close()
        kb.close()


def _cannot_listen(host: str, port: int, err: OSError) -> click.ClickException:
    """A port in use or an address not on this machine: one line, not a traceback."""
    return click.ClickException(
        f"Kan inte lyssna på / cannot listen on {host}:{port}: {err.strerror or err} "
        "(välj en annan --port eller --host / choose another --port or --host)"
    )


def ingest_demo(kb: KnowledgeBase, settings: Settings) -> None:
    """Ingest the demo corpus (corpus/demo/manifest.jsonl) into an empty knowledge base."""
    manifest = settings.demo_dir / "manifest.jsonl"
    if not manifest.is_file():
        log.warning("Ingen demokorpus hittades i %s; startar med ett tomt index.", manifest)
        return
    from ingest.pipeline import IngestOptions, run
    from ingest.sources import read_manifest

    click.echo(f"Indexet är tomt: läser in demodokumenten från {manifest} ...")
    try:
        # Local files only: no politeness delay; threads keep start-up light on a small machine.
        report = run(kb, read_manifest(manifest), IngestOptions(delay=0.0, executor="thread"))
    except KbError as err:
        # The service still starts: an empty knowledge base is better than no search page.
        log.error("Demodokumenten kunde inte läsas in: %s", err)
        return
    except Exception:
        # A bug in ingest must not keep the search pages down; the log keeps the details.
        log.exception("Demodokumenten kunde inte läsas in (oväntat fel)")
        return
    totals = ", ".join(f"{k} {v}" for k, v in report.totals.items())
    click.echo(f"Demodokument: {totals}")


def _log_requests(app: object) -> None:
    from flask import Flask, Response, request

    assert isinstance(app, Flask)

    @app.after_request
    def _access_log(response: Response) -> Response:
        log.debug("%s %s -> %s", request.method, request.full_path, response.status_code)
        return response
