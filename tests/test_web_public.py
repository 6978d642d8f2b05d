"""What the web shows of a document ingested from disk: never the server's file path; a kept
copy whose file name holds CR/LF or quotes downloads with a safe Content-Disposition."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from kb.config import Settings
from kb.document import document_id
from kbcli.main import cli
from web import create_app
from web.context import EXTENSION_KEY

SECRET_DIR = "hemlig-serverkatalog"


@pytest.fixture
def disk_client(tmp_path: Path) -> FlaskClient:
    folder = tmp_path / SECRET_DIR
    folder.mkdir()
    names = ["plan.txt", "rapport\r\nSet-Cookie: x=1.txt", 'Årsrapport "2023"\n\t.txt']
    for i, name in enumerate(names):
        text = f"Handlingsplan {i} för e-arkiv\nUddevalla kommun digitaliserar arkivet {i}."
        (folder / name).write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    result = CliRunner().invoke(
        cli, ["ingest", str(folder), "--delay", "0", "--data-dir", str(data)]
    )
    assert result.exit_code == 0, result.output
    settings = Settings(data_dir=data, writer_timeout=2.0, ingest_demo_on_start=False)
    app = create_app(settings, {"TESTING": True})
    yield app.test_client()
    app.extensions[EXTENSION_KEY].close()


def test_api_and_feeds_never_show_server_paths(disk_client: FlaskClient, tmp_path: Path) -> None:
    search = disk_client.get("/api/search?q=e-arkiv")
    assert search.status_code == 200 and search.json["total"] == 3
    for hit in search.json["results"]:
        kept = f"http://localhost/documents/{hit['id']}/original"
        assert hit["url"] == kept
        with disk_client.get(kept) as original:
            assert original.status_code == 200
    doc_id = document_id(str(tmp_path / SECRET_DIR / "plan.txt"))
    doc = disk_client.get(f"/api/documents/{doc_id}")
    assert doc.json["url"] == doc.json["source"] == f"http://localhost/documents/{doc_id}/original"
    for url in ("/api/search?q=e-arkiv", f"/api/documents/{doc_id}", "/feeds/search.atom?q=e-arkiv",
                "/search?q=e-arkiv", f"/documents/{doc_id}"):  # fmt: skip
        body = disk_client.get(url).get_data(as_text=True)
        assert SECRET_DIR not in body and str(tmp_path) not in body, url


@pytest.mark.parametrize(
    ("name", "ascii_name", "utf8_name"),
    [
        ("rapport\r\nSet-Cookie: x=1.txt", "rapport Set-Cookie: x=1.txt", None),
        ('Årsrapport "2023"\n\t.txt', "Arsrapport 2023 .txt", "%C3%85rsrapport%202023%20.txt"),
    ],
)
def test_kept_copy_with_cr_lf_in_its_name_downloads_safely(
    disk_client: FlaskClient, tmp_path: Path, name: str, ascii_name: str, utf8_name: str | None
) -> None:
    doc_id = document_id(str(tmp_path / SECRET_DIR / name))
    with disk_client.get(f"/documents/{doc_id}/original") as response:
        assert response.status_code == 200
        assert "Handlingsplan" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert f'filename="{ascii_name}"' in disposition or f"filename={ascii_name}" in disposition
    if utf8_name:
        assert f"filename*=UTF-8''{utf8_name}" in disposition
