"""Every setting and every command is documented where a user looks for it."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

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


def test_every_widget_attribute_is_documented_in_the_guide_and_on_widget(client: Any) -> None:
    # The attributes the served script reads: its filters (written from the facet registry) and
    # the ones it asks for by name. publisher, county and suggest were missing from both lists.
    script = client.get("/widget/kb-search.js").get_data(as_text=True)
    scope = json.loads(re.search(r"/\*kb:scope\*/(.*?)/\*kb:scope-end\*/", script, re.S)[1])
    named = re.findall(r'(?:get|has)Attribute\("([a-z-]+)"\)', script)
    attributes = {a for a, _param, _sep in scope} | {a for a in named if a != "role"}
    assert {"region", "publisher", "lang", "suggest", "search-as-you-type"} <= attributes
    guide = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    table = guide.split("### 1. The widget", 1)[1].split("###", 1)[0]
    for lang in ("sv", "en"):
        page = client.get(f"/widget?lang={lang}").get_data(as_text=True)
        for attribute in sorted(attributes):
            assert f"| `{attribute}` |" in table, f"docs/embedding.md: {attribute}"
            assert f"<dt><code>{attribute}</code></dt>" in page, f"/widget?lang={lang}: {attribute}"
