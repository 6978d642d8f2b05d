"""Every setting and every command is documented where a user looks for it."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from kb.config import Settings
from kbcli.main import cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_with_its_variable() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f"`{f.name}`" in text, f"docs/settings.md does not list {f.name}"
        assert f"`KB_{f.name.upper()}`" in text
        assert f.metadata.get("help"), f"Settings.{f.name} has no help text"


def test_every_command_is_documented() -> None:
    settings_doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"`kb {name}`" in settings_doc, f"docs/settings.md does not list kb {name}"
        assert f"kb {name}" in readme, f"README.md shows no example of kb {name}"
        assert command.help, f"kb {name} has no help text"


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./scripts/run.sh", "./scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test.sh" in ci


def test_every_file_the_docs_name_exists() -> None:
    # Moving a module must not leave the docs pointing at a file that is gone.
    named = re.compile(r"`((?:kb|ingest|web|kbcli|tests|bench|scripts|corpus|docs)/[\w./-]+\.\w+)`")
    docs = [ROOT / "README.md", ROOT / "corpus" / "README.md", *(ROOT / "docs").glob("*.md")]
    missing = [
        f"{doc.relative_to(ROOT)}: {path}"
        for doc in docs
        for path in named.findall(doc.read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert not missing, "the docs name files that do not exist:\n" + "\n".join(missing)
