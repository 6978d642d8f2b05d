"""The admin's building blocks without a browser: password hashing, throttling, the audit log,
accounts and their session versions, the kept ingest reports, and `kb user`."""

from __future__ import annotations

import json
import multiprocessing
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.errors import NotFoundError, ValidationError
from kb.reports import ReportLog
from kbcli.main import cli
from web.admin.accounts import AccountStore, hash_password, verify_password
from web.admin.audit import AuditLog
from web.admin.throttle import LoginThrottle

PASSWORD = "rätt-hemligt-lösen"


# -- hashing ----------------------------------------------------------------------------------


def test_hash_is_salted_argon2id_and_verifies_only_the_right_password() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert PASSWORD not in first
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "x")
    assert not verify_password(first, "")


def test_unknown_account_is_checked_against_a_dummy_hash_as_slowly_as_a_wrong_password() -> None:
    real = hash_password(PASSWORD)

    def median(hash_: str | None) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert not verify_password(hash_, "fel-lösenord-här")
            times.append(time.perf_counter() - start)
        return sorted(times)[2]

    unknown, wrong = median(None), median(real)
    # Both do one argon2 verification (tens of milliseconds); an early "no such user" would take
    # microseconds. Loose bounds: the test machine is shared and loaded.
    assert unknown > wrong / 5
    assert unknown > 0.005


def test_short_and_huge_passwords_are_refused() -> None:
    with pytest.raises(ValidationError, match="minst 10"):
        hash_password("kort")
    with pytest.raises(ValidationError, match="för långt"):
        hash_password("x" * 5000)
    assert not verify_password(hash_password(PASSWORD), "x" * 100_000)


# -- throttling -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_delay_grows_after_repeated_failures_and_a_success_clears_it() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=3, base=1.0, max_wait=60.0, clock=clock)
    keys = throttle.keys("Anna", "10.0.0.1")
    waits = []
    for _ in range(8):
        assert throttle.wait_for(*keys) == 0 or waits  # first attempts are free
        throttle.failed(*keys)
        waits.append(throttle.wait_for(*keys))
    assert waits[:3] == [0, 0, 0]
    assert waits[3:] == [1, 2, 4, 8, 16]
    clock.now += 15
    assert throttle.wait_for(*keys) == 1
    clock.now += 1
    assert throttle.wait_for(*keys) == 0
    throttle.succeeded(*keys)
    throttle.failed(*keys)
    assert throttle.wait_for(*keys) == 0


def test_throttle_counts_per_name_and_per_client() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=2, base=1.0, clock=clock)
    # One client trying many names is slowed down ...
    for name in ("anna", "bo", "cecilia", "david"):
        throttle.failed(*throttle.keys(name, "10.0.0.9"))
    assert throttle.wait_for(*throttle.keys("erik", "10.0.0.9")) > 0
    # ... and so is one name tried from many clients.
    for i in range(4):
        throttle.failed(*throttle.keys("fia", f"10.1.0.{i}"))
    assert throttle.wait_for(*throttle.keys("fia", "10.2.0.1")) > 0
    assert throttle.wait_for(*throttle.keys("gustav", "10.2.0.1")) == 0
    # The name key ignores case and spaces, as the login does.
    assert throttle.wait_for(*throttle.keys(" FIA ", "10.3.0.1")) > 0


def test_old_failures_are_forgotten() -> None:
    clock = Clock()
    throttle = LoginThrottle(free=1, base=10.0, forget_after=600, clock=clock)
    keys = throttle.keys("anna", "c")
    for _ in range(5):
        throttle.failed(*keys)
    assert throttle.wait_for(*keys) > 0
    clock.now += 601
    assert throttle.wait_for(*keys) == 0
    throttle.failed(*keys)
    assert throttle.wait_for(*keys) == 0  # counting starts again


# -- audit log --------------------------------------------------------------------------------


def test_audit_log_appends_and_shows_newest_first(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "admin" / "audit.jsonl")
    log.record("anna", "user.add", "bo", role="redaktor")
    log.record("bo", "document.remove", "abc123", title="Plan för e-arkiv")
    entries = log.newest()
    assert [(e.who, e.action, e.target) for e in entries] == [
        ("bo", "document.remove", "abc123"),
        ("anna", "user.add", "bo"),
    ]
    assert entries[0].details == {"title": "Plan för e-arkiv"}
    assert entries[0].when.endswith("+00:00")
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["action"] == "user.add"
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_audit_log_keeps_earlier_entries_and_skips_a_damaged_line(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record("anna", "login")
    before = log.path.read_bytes()
    with open(log.path, "ab") as fh:
        fh.write(b"{not json\n")
    log.record("anna", "logout")
    assert log.path.read_bytes().startswith(before)  # appended, never rewritten
    assert [e.action for e in log.newest()] == ["logout", "login"]


def _append_many(path: str, who: str) -> None:
    log = AuditLog(Path(path))
    for i in range(50):
        log.record(who, "test.append", str(i), text="å" * 2000)


def test_audit_entries_from_several_processes_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(path), f"p{n}")) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 150
    assert all(json.loads(line)["details"]["text"] == "å" * 2000 for line in lines)


# -- accounts ---------------------------------------------------------------------------------


def test_accounts_file_is_private_and_session_version_changes_with_the_password(
    tmp_path: Path,
) -> None:
    store = AccountStore.in_data_dir(tmp_path)
    assert not store.has_admin()
    store.add("Anna", "redaktör", PASSWORD)
    assert not store.has_admin()
    store.add("bo", "admin", PASSWORD)
    assert store.has_admin()
    anna = store.get("anna")
    assert anna is not None and anna.role == "redaktor"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert PASSWORD not in store.path.read_text(encoding="utf-8")
    store.set_password("anna", "ett-helt-nytt-lösen")
    changed = store.get("anna")
    assert changed is not None and changed.session_version != anna.session_version
    assert verify_password(changed.password_hash, "ett-helt-nytt-lösen")
    with pytest.raises(ValidationError, match="finns redan"):
        store.add("anna", "admin", PASSWORD)
    with pytest.raises(ValidationError, match="minst ett"):
        store.set_role("bo", "redaktor")  # the last admin keeps the role
    store.remove("anna")
    assert store.get("anna") is None
    with pytest.raises(NotFoundError):
        store.remove("anna")
    with pytest.raises(ValidationError):
        store.add("../etc", "admin", PASSWORD)


# -- kept ingest reports -----------------------------------------------------------------------


def test_report_log_keeps_the_newest(tmp_path: Path) -> None:
    log = ReportLog(tmp_path / "reports", keep=3)
    for i in range(5):
        log.save("cli", "cli:root", [{"source": f"/f{i}.pdf", "status": "failed", "reason": "x"}])
    newest = log.newest()
    assert [r["outcomes"][0]["source"] for r in newest] == ["/f4.pdf", "/f3.pdf", "/f2.pdf"]
    assert newest[0]["totals"]["failed"] == 1 and newest[0]["totals"]["added"] == 0


# -- kb user ----------------------------------------------------------------------------------


def test_kb_user_commands_prompt_twice_and_log_every_change(tmp_path: Path) -> None:
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path)]
    result = runner.invoke(
        cli, ["user", "add", "anna", "--role", "admin", *data], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    mismatch = runner.invoke(
        cli, ["user", "add", "bo", *data], input=f"{PASSWORD}\nannat-lösen-123\n" * 3
    )
    assert mismatch.exit_code != 0
    short = runner.invoke(cli, ["user", "add", "bo", *data], input="kort\nkort\n")
    assert short.exit_code == 1 and "minst 10" in short.output
    listed = runner.invoke(cli, ["user", "list", *data])
    assert "anna" in listed.output and "admin" in listed.output and "bo" not in listed.output
    old = AccountStore.in_data_dir(tmp_path).get("anna")
    passwd = runner.invoke(cli, ["user", "passwd", "anna", *data], input="nytt-lösen-99\n" * 2)
    assert passwd.exit_code == 0, passwd.output
    new = AccountStore.in_data_dir(tmp_path).get("anna")
    assert old is not None and new is not None and new.session_version != old.session_version
    removed = runner.invoke(cli, ["user", "remove", "anna", *data])
    assert removed.exit_code == 0
    assert "/admin är av" in runner.invoke(cli, ["user", "list", *data]).output
    actions = [e.action for e in AuditLog.in_data_dir(tmp_path).newest()]
    assert actions == ["user.remove", "user.password", "user.add"]
