"""Staff accounts: names, roles and argon2 password hashes in ``<data dir>/admin/accounts.json``.

One JSON file, rewritten atomically under an exclusive ``flock`` so the CLI (`kb user ...`) and the
web admin can change it at the same time without losing an edit. Each account carries a random
``session_version``: a session cookie names it, and every request compares it with the stored one,
so changing the password or removing the account ends its sessions at once (the next request).
Imports argon2 and kb.atomic only: the CLI uses it without Flask.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kb.atomic import atomic_write
from kb.errors import NotFoundError, ValidationError

Role = Literal["admin", "redaktor"]
ROLES: tuple[Role, ...] = ("redaktor", "admin")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes any length; a megabyte "password" is a DoS
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
# argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4).
_HASHER = PasswordHasher()


@functools.cache
def dummy_hash() -> str:
    """The hash verified against when the account name is unknown, so both cases take one argon2
    verification. Made once per process, when the admin is installed (web.admin.init_app), not
    at import: every `kb` command imports this module and most never check a password."""
    return _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    """One staff account (the hash never leaves this module except in the file)."""

    name: str
    role: Role
    password_hash: str
    session_version: str
    created: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; the parameters are stored in the hash)."""
    check_password(password)
    return _HASHER.hash(password)


def check_password(password: str) -> None:
    """Raise ValidationError when ``password`` is too short or too long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken / "
            f"the password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError("Lösenordet är för långt / the password is too long")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; None (unknown account) checks a dummy hash
    and answers False, so an unknown name costs the same time as a wrong password."""
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH]
    try:
        ok = _HASHER.verify(password_hash or dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def check_name(name: str) -> str:
    """``name`` normalised (lower case), or ValidationError when it is not a valid account name."""
    normal = name.strip().lower()
    if not _NAME.fullmatch(normal):
        raise ValidationError(
            "Kontonamnet ska vara 2–40 tecken: a–z, 0–9, punkt, bindestreck, understreck / "
            "account names are 2–40 characters: a-z, 0-9, '.', '-', '_'"
        )
    return normal


def check_role(role: str) -> Role:
    """``role`` as a Role ("redaktör" is accepted for "redaktor"), else ValidationError."""
    normal = role.strip().lower().replace("ö", "o")
    for known in ROLES:
        if normal == known:
            return known
    raise ValidationError(f"Okänd roll / unknown role: {role!r} (admin, redaktor)")


class AccountStore:
    """The accounts of one data directory.

    Args:
        path: the JSON file (``<data dir>/admin/accounts.json``); created on first write.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: tuple[tuple[int, int], dict[str, Account]] | None = None

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> AccountStore:
        return cls(Path(data_dir) / "admin" / "accounts.json")

    # -- reading (cached by file identity: every request checks its session) -------------------

    def all(self) -> dict[str, Account]:
        """Every account by name (a fresh read when the file changed)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_mtime_ns, stat.st_ino)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        accounts = self._read()
        self._cache = (key, accounts)
        return accounts

    def get(self, name: str) -> Account | None:
        return self.all().get(name.strip().lower())

    def has_admin(self) -> bool:
        """Whether an admin account exists (the web admin is off until one does)."""
        return any(a.is_admin for a in self.all().values())

    def _read(self) -> dict[str, Account]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            raise ValidationError(f"Kontofilen {self.path} går inte att läsa: {err}") from err
        return {name: Account(**data) for name, data in raw.get("accounts", {}).items()}

    # -- writing ---------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str) -> Account:
        """Create an account (ValidationError when the name is taken or a value is invalid)."""
        name, checked_role = check_name(name), check_role(role)
        hashed = hash_password(password)
        with self._editing() as accounts:
            if name in accounts:
                raise ValidationError(f"Kontot {name} finns redan / account exists")
            account = Account(
                name=name,
                role=checked_role,
                password_hash=hashed,
                session_version=secrets.token_hex(8),
                created=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            accounts[name] = account
        return account

    def set_password(self, name: str, password: str) -> None:
        """Change the password and end every session of the account."""
        hashed = hash_password(password)
        with self._editing() as accounts:
            account = self._existing(accounts, name)
            accounts[account.name] = replace(
                account, password_hash=hashed, session_version=secrets.token_hex(8)
            )

    def set_role(self, name: str, role: str) -> None:
        """Change the role (sessions end: what the person may do has changed)."""
        checked = check_role(role)
        with self._editing() as accounts:
            account = self._existing(accounts, name)
            self._keep_an_admin(accounts, account, checked)
            accounts[account.name] = replace(
                account, role=checked, session_version=secrets.token_hex(8)
            )

    def remove(self, name: str) -> Account:
        """Delete the account; its sessions stop working at once."""
        with self._editing() as accounts:
            account = self._existing(accounts, name)
            del accounts[account.name]
        return account

    def upgrade_hash(self, name: str, password: str) -> None:
        """Re-hash with today's parameters after a login (argon2 ``check_needs_rehash``)."""
        account = self.get(name)
        if account is None or not _HASHER.check_needs_rehash(account.password_hash):
            return
        with self._editing() as accounts:
            current = accounts.get(account.name)
            if current is not None and current.password_hash == account.password_hash:
                accounts[account.name] = replace(current, password_hash=_HASHER.hash(password))

    @staticmethod
    def _existing(accounts: dict[str, Account], name: str) -> Account:
        account = accounts.get(name.strip().lower())
        if account is None:
            raise NotFoundError(f"Kontot finns inte / no such account: {name}")
        return account

    @staticmethod
    def _keep_an_admin(accounts: dict[str, Account], account: Account, role: Role) -> None:
        others = [a for a in accounts.values() if a.is_admin and a.name != account.name]
        if account.is_admin and role != "admin" and not others:
            raise ValidationError(
                "Det måste finnas minst ett administratörskonto / at least one admin must remain"
            )

    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict[str, Account]]:
        """Read, let the caller change, write back atomically; one editor at a time."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        lock_path = self.path.with_suffix(".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            accounts = self._read()
            yield accounts
            body = {"accounts": {n: asdict(a) for n, a in sorted(accounts.items())}}
            data = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
            atomic_write(self.path, data)
            os.chmod(self.path, 0o600)
            self._cache = None
