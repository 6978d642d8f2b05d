"""Shared click options and the error mapping of the `kb` command."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kb.config import Settings
from kb.errors import KbError

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(func: F) -> F:
    """Add ``--data-dir`` (env KB_DATA_DIR) and pass ``settings`` instead of it."""

    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KB_DATA_DIR",
        default=None,
        help="Data folder with the index and the kept originals (env KB_DATA_DIR; default ./data).",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, data_dir: Path | None, **kwargs: Any) -> Any:
        settings = Settings.from_env(data_dir=data_dir)
        return func(*args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


def kb_errors(func: F) -> F:
    """Turn a KbError into one clear line on stderr and exit status 1 (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KbError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]
