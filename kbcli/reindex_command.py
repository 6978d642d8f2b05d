"""`kb reindex`: rebuild the index beside the live one, with progress and time left.

The work is kb.index.rebuild; this module shows its progress (a bar on a terminal, a plain line
every ``LOG_INTERVAL`` seconds otherwise, so logs stay readable), turns SIGTERM into the same
clean interruption as Ctrl-C, and says how to resume.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

import click

from kb.config import Settings
from kb.errors import ReindexInterruptedError
from kb.service import KnowledgeBase
from kbcli.options import existing_data_dir_option, kb_errors, terminate_as_interrupt

LOG_INTERVAL = 10.0  # seconds between progress lines when stderr is not a terminal
BAR_INTERVAL = 0.2  # seconds between redraws of the bar
BAR_WIDTH = 30


def _duration(time_left: float) -> str:
    seconds = round(time_left)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ProgressReport:
    """Prints (documents done, total) with an estimate of the time left to ``stream``.

    The estimate is this run's rate: documents written since it started (a resumed run's
    earlier documents do not count) over the time taken.
    """

    def __init__(self, stream: TextIO, tty: bool | None = None) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.began = time.monotonic()
        self.first: int | None = None
        self.shown = 0.0
        self.drawn = False

    def line(self, done: int, total: int, now: float) -> str:
        """One progress text at ``now``: counts, percent and (with a rate) the time left."""
        if self.first is None:
            self.first = done
        percent = 100 * done // total if total else 100
        text = f"{done}/{total} dokument ({percent} %)"
        elapsed = now - self.began
        rate = (done - self.first) / elapsed if elapsed > 0 else 0.0
        if done >= total:
            text += ", skriver de sista ändringarna"
        elif rate > 0:
            text += f", cirka {_duration((total - done) / rate)} kvar"
        return text

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        last = done >= total
        wait = BAR_INTERVAL if self.tty else LOG_INTERVAL
        if self.first is not None and not last and now - self.shown < wait:
            return
        self.shown = now
        text = self.line(done, total, now)
        if self.tty:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stream.write(f"\rOmindexering [{bar}] {text}\x1b[K")
            self.drawn = True
        else:
            self.stream.write(f"Omindexering: {text}\n")
        self.stream.flush()

    def end(self) -> None:
        """Finish the bar's line so that the next output starts on a line of its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


@click.command()
@click.option(
    "--jobs",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Writer processes (2 splits analysis over two cores).",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start over instead of resuming an interrupted reindex.",
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@existing_data_dir_option
@kb_errors
def reindex(settings: Settings, jobs: int, fresh: bool, quiet: bool) -> None:
    """Bygg om indexet från de sparade originalen (rebuild the index from the store).

    The new index is built beside the live one and swapped in when complete: searches,
    ingests and removals go on meanwhile. Interrupted (Ctrl-C, kill), the live index is kept
    and the next `kb reindex` resumes from the last checkpoint.
    """
    progress = None if quiet else ProgressReport(sys.stderr)
    try:
        with terminate_as_interrupt(), KnowledgeBase.open(settings) as kb:
            report = kb.reindex_live(procs=jobs, progress=progress, fresh=fresh)
    except ReindexInterruptedError as err:
        if progress is not None:
            progress.end()
        click.echo(str(err), err=True)
        sys.exit(130)
    finally:
        if progress is not None:
            progress.end()
    click.echo(f"Indexet byggdes om: {report.documents} dokument")
    if report.resumed:
        click.echo(f"Fortsatte en avbruten omindexering ({report.resumed} dokument var klara)")
    if report.unreadable:
        click.echo(
            f"{report.unreadable} sparade poster gick inte att läsa och saknas i indexet: "
            "`kb check` visar dem"
        )
