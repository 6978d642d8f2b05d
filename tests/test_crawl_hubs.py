"""Link-only hub pages (a site's "Start", a section index) against a real HTTP server on
127.0.0.1: a crawl follows their links but does not add them; a page named by hand is added
with a warning."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from ingest.extract.hub import link_hub
from ingest.stage import Stager
from kb.config import Settings
from kb.taxonomy.model import Taxonomy
from kbcli.main import cli
from tests.harvest_support import HUB, TOPICS, content_page, page, start_page
from tests.ingest_support import Server, http_server, ok


def routes() -> dict[str, object]:
    site: dict[str, object] = {"/robots.txt": ok(b"User-agent: *\n", "text/plain")}
    site["/"] = ok(start_page())
    for topic in TOPICS:
        site[f"/{topic}"] = ok(content_page(topic))
    site["/plan"] = ok(content_page("digitaliseringsplan"))
    return site


def kb(runner: CliRunner, data: Path, *args: str) -> Result:
    return runner.invoke(cli, [args[0], "--data-dir", str(data), *args[1:]], catch_exceptions=False)


def by_source(result: Result, server: Server) -> dict[str, dict[str, object]]:
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return {str(x["source"]).removeprefix(server.base): x for x in lines if "source" in x}


def listed_titles(runner: CliRunner, data: Path) -> set[str]:
    lines = kb(runner, data, "list", "--json").output.splitlines()
    return {json.loads(line)["title"] for line in lines if line.startswith("{")}


def test_a_crawl_follows_a_link_only_start_page_but_does_not_add_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with http_server(routes()) as server:  # type: ignore[arg-type]
        result = kb(runner, data, "ingest", server.url("/"), "--crawl", "--delay", "0", "--json")
        text = kb(runner, data, "ingest", server.url("/"), "--crawl", "--delay", "0", "--force")
    assert result.exit_code == 0, result.output
    outcomes = by_source(result, server)
    assert outcomes["/"]["status"] == "skipped" and outcomes["/"]["code"] == "links-only"
    assert "bara länkar" in str(outcomes["/"]["reason"])
    assert "links only" in str(outcomes["/"]["reason"])
    # Its links were followed: every page it lists is added.
    assert all(outcomes[f"/{t}"]["status"] == "added" for t in TOPICS)
    titles = listed_titles(runner, data)
    assert HUB not in titles and "Bredband i Vara kommun" in titles
    assert "Länkarna följdes men sidan lades inte till: bara länkar" in text.output


def test_a_hub_named_by_hand_is_added_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with http_server(routes()) as server:  # type: ignore[arg-type]
        result = kb(runner, data, "ingest", server.url("/"), "--delay", "0")
    assert result.exit_code == 0, result.output
    assert "1 tillagda / added" in result.output
    assert "Sidan är nästan bara länkar" in result.output
    assert HUB in listed_titles(runner, data)


def test_a_dry_run_says_a_named_hub_would_be_added(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with http_server(routes()) as server:  # type: ignore[arg-type]
        result = kb(runner, data, "ingest", server.url("/"), "--delay", "0", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "skulle läggas till eftersom den angavs" in result.output
    assert "would be added since it was named" in result.output
    assert "tillagd eftersom" not in result.output


def test_a_site_harvest_reports_the_hub_as_followed_not_added(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with http_server(routes()) as server:  # type: ignore[arg-type]
        add = ["source", "add", "vara", "--site", server.url("/"), "--data-dir", str(data)]
        added = runner.invoke(cli, add, catch_exceptions=False)
        assert added.exit_code == 0, added.output
        result = kb(runner, data, "harvest", "--delay", "0")
    assert result.exit_code == 0, result.output
    assert f"{len(TOPICS) + 1} tillagda / added" in result.output  # the topics and /plan
    assert f"följd, inte tillagd / followed, not added: {server.url('/')}" in result.output
    assert "bara länkar" in result.output
    assert HUB not in listed_titles(runner, data)


def test_pages_with_running_text_are_not_hubs() -> None:
    assert link_hub(start_page()).is_hub
    assert not any(link_hub(content_page(t)).is_hub for t in TOPICS)
    # A short notice (little text, few links) is not a hub either.
    assert not link_hub(page("Stängt", "<h1>Stängt</h1><p>Kontoret är stängt.</p>")).is_hub
    # A list of news items with a sentence of teaser text each is content.
    teasers = "".join(
        f'<li><a href="/{t}">{t}</a><p>Kommunen har nu börjat arbeta med {t} i skolan och '
        "i omsorgen.</p></li>"
        for t in TOPICS
    )
    assert not link_hub(page("Nyheter", f"<h1>Nyheter</h1><ul>{teasers}</ul>")).is_hub


def test_a_hub_staged_in_the_admin_shows_the_warning(tmp_path: Path) -> None:
    stager = Stager(Settings(data_dir=tmp_path / "data"), ocr_command="")
    with http_server(routes()) as server:  # type: ignore[arg-type]
        staged = stager.stage_url(server.url("/"), Taxonomy.load())
        plain = stager.stage_url(server.url("/bredband"), Taxonomy.load())
    assert staged.document is not None and staged.error == ""
    assert any("Sidan är nästan bara länkar" in note for note in staged.notes)
    # A preview adds nothing: the page would be added when published, as a dry run says.
    assert any("skulle läggas till eftersom den angavs" in note for note in staged.notes)
    assert any("would be added since it was named" in note for note in staged.notes)
    assert not any("tillagd eftersom" in note for note in staged.notes)
    assert not any("länkar" in note for note in plain.notes)
