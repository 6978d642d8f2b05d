"""The admin under `kb serve` itself: the composition root hands the app its stager, and a login
holds across worker processes (they share the secret key kept in the data directory)."""

from __future__ import annotations

import http.cookiejar
import re
import stat
import urllib.parse
import urllib.request
from pathlib import Path

from kb.service import KnowledgeBase
from tests.test_web_serve import kb_serve
from web.admin.accounts import AccountStore

PASSWORD = "admin-lösen-123"


def test_kb_serve_admin_stages_uploads_and_sessions_hold_across_workers(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    KnowledgeBase.open(data_dir).close()
    AccountStore.in_data_dir(data_dir).add("anna", "admin", PASSWORD)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(url: str) -> str:
        with opener.open(url, timeout=30) as answer:
            body: str = answer.read().decode("utf-8")
            return body

    with kb_serve(data_dir, demo=False, timeout=60, args=("--workers", "2")) as (hostport, _):
        base = f"http://{hostport}"
        login = get(base + "/admin/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token is not None
        form = urllib.parse.urlencode(
            {"csrf_token": token.group(1), "name": "anna", "password": PASSWORD}
        ).encode()
        with opener.open(base + "/admin/login", data=form, timeout=30) as answer:
            assert answer.geturl().endswith("/admin/")
        # Both workers answer in turn; each must accept the session signed by the other.
        for _ in range(6):
            page = get(base + "/admin/dokument/ny")
            assert "Inloggad som anna" in page
            assert 'type="file"' in page and ".pdf" in page  # the stager is wired in
    key = data_dir / "admin" / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text()) >= 64
