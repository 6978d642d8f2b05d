"""Run `kb` commands in a separate process, starting together with others (concurrency tests).

Usage: python -m tests.cli_worker GO_FILE -- ARGS... [-- ARGS...]. The process imports everything,
waits until GO_FILE exists (so that all workers start at once), then runs each `kb ARGS` in turn
and prints each run's output and exit status; `sleep SECONDS` pauses between commands.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from click.testing import CliRunner

from kbcli.main import cli


def main() -> None:
    go, *rest = sys.argv[1:]
    commands: list[list[str]] = []
    for arg in rest:
        if arg == "--":
            commands.append([])
        else:
            commands[-1].append(arg)
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    runner = CliRunner()
    for args in commands:
        if args[0] == "sleep":  # spread a worker's commands over the others' run
            time.sleep(float(args[1]))
            continue
        result = runner.invoke(cli, args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        sys.stdout.write(result.stdout)
        sys.stdout.write(f"EXIT {result.exit_code}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
