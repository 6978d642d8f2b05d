"""Shared click options and the error mapping of the `kb` command."""

from __future__ import annotations

import functools
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from ingest.extract.dispatch import ExtractOptions
from ingest.extract.ocr import OcrOptions
from kb.config import Settings
from kb.errors import KbError

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(func: F) -> F:
    """Add ``--data-dir`` (env KB_DATA_DIR) and pass ``settings`` instead of it; a missing folder
    is created (commands that add documents or serve the demo)."""
    return _data_dir(func, must_exist=False)


def existing_data_dir_option(func: F) -> F:
    """``--data-dir`` for commands that read a knowledge base: a folder that does not exist is
    an error, not a new empty bank (a mistyped path would otherwise answer "0 träffar")."""
    return _data_dir(func, must_exist=True)


def _data_dir(func: F, must_exist: bool) -> F:
    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KB_DATA_DIR",
        default=None,
        help="Data folder with the index and the kept originals (env KB_DATA_DIR; default ./data).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, data_dir: Path | None, **kwargs: Any) -> Any:
        settings = Settings.from_env(data_dir=chosen_data_dir(data_dir))
        if must_exist:
            require_data_dir(settings.data_dir)
        return func(*args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


GROUP_DATA_DIR = "kb.group_data_dir"
"""Key in ``click.Context.meta`` of the ``--data-dir`` given before the command name."""

group_data_dir_option = click.option(
    "--data-dir",
    "group_data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=(
        "Data folder for the command that follows (`kb --data-dir X ingest ...`); "
        "a --data-dir after the command name wins."
    ),
)


def remember_group_data_dir(data_dir: Path | None) -> None:
    """Keep the ``--data-dir`` given before the command name for the command to read (the
    context's ``meta`` is shared by every sub-context of one invocation)."""
    if data_dir is not None:
        click.get_current_context().meta[GROUP_DATA_DIR] = data_dir


def chosen_data_dir(command_value: Path | None) -> Path | None:
    """The data folder a command uses: its own ``--data-dir`` when typed after the command name,
    else the one typed before it, else KB_DATA_DIR (already in ``command_value``), else None.

    The command-line value before the name beats the environment, as any typed option does:
    the command's own option reads KB_DATA_DIR too, so its source, not its value, decides.
    """
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return command_value
    source = ctx.get_parameter_source("data_dir")
    group_value = ctx.meta.get(GROUP_DATA_DIR)
    if group_value is not None and source is not ParameterSource.COMMANDLINE:
        return Path(group_value)
    return command_value


def require_data_dir(data_dir: Path) -> None:
    """Stop with one line when ``data_dir`` does not exist (a mistyped --data-dir)."""
    if not data_dir.is_dir():
        raise click.ClickException(
            f"Ingen kunskapsbank i {data_dir}: mappen finns inte (rätta --data-dir eller läs in "
            f"dokument med `kb ingest`) / no knowledge base at {data_dir}: "
            "the folder does not exist"
        )


def kb_errors(func: F) -> F:
    """Turn a KbError into one clear line on stderr and exit status 1 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KbError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (kill, a service manager stopping the job) interrupts like Ctrl-C, so a command
    that reports what it finished (`kb reindex`, `kb ingest`) does so for either."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (tests calling the command in a thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def extraction_options(func: F) -> F:
    """Add the options of commands that extract and tag originals (`kb ingest`, `kb reextract`):
    ``--password``, ``--jobs``, ``--executor``, ``--ocr-command`` and ``--no-ocr``."""
    options = [
        click.option(
            "--password",
            envvar="KB_PDF_PASSWORD",
            help="Password of encrypted PDFs (env KB_PDF_PASSWORD).",
        ),
        click.option(
            "--jobs",
            type=click.IntRange(1, 64),
            default=1,
            show_default=True,
            help=(
                "Workers that extract, OCR and tag in parallel (one writer stays in this process)."
            ),
        ),
        click.option(
            "--executor",
            type=click.Choice(["process", "thread"]),
            default="process",
            show_default=True,
            help="Kind of --jobs workers: processes use more cores; threads start faster.",
        ),
        click.option(
            "--ocr-command",
            default="tesseract",
            show_default=True,
            envvar="KB_OCR_COMMAND",
            help="Tesseract binary for scanned PDFs (env KB_OCR_COMMAND).",
        ),
        click.option(
            "--no-ocr", is_flag=True, help="Do not OCR scanned PDFs (report them instead)."
        ),
    ]
    for option in reversed(options):  # listed in this order in --help
        func = option(func)
    return func


def fetch_options(func: F) -> F:
    """Add the options of commands that fetch sources (`kb ingest`, `kb harvest`): ``--delay``
    between requests to one host and the server ``--timeout``."""
    func = click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=20.0,
        show_default=True,
        help="Seconds to wait for a server.",
    )(func)
    return click.option(
        "--delay",
        type=click.FloatRange(min=0),
        default=1.0,
        show_default=True,
        envvar="KB_CRAWL_DELAY",
        help="Seconds between requests to one host (env KB_CRAWL_DELAY).",
    )(func)


def extract_options(settings: Settings, opts: dict[str, Any]) -> ExtractOptions:
    """The ``ExtractOptions`` that the values of ``extraction_options`` in ``opts`` ask for."""
    return ExtractOptions(
        password=opts["password"],
        ocr=OcrOptions(command=opts["ocr_command"], enabled=not opts["no_ocr"]),
        max_text_chars=settings.max_text_chars,
    )
