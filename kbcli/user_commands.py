"""`kb user`: the web admin's staff accounts (add, list, remove, passwd) from the server's shell.

Passwords are prompted twice with the input hidden, never taken as an argument (it would land in
the shell history and the process list). Every change is written to the admin's audit log as
"cli:<os user>". The web admin at /admin answers 404 until an account with the admin role exists.
"""

from __future__ import annotations

import click

from kb.config import Settings
from kbcli.ingest_commands import cli_user
from kbcli.options import data_dir_option, kb_errors
from web.admin.accounts import ROLES, AccountStore, check_name, check_password, check_role
from web.admin.audit import AuditLog


@click.group()
def user() -> None:
    """Konton: staff accounts of the web admin (/admin)."""


def _prompt_password() -> str:
    password: str = click.prompt(
        "Lösenord / password", hide_input=True, confirmation_prompt=True, err=True
    )
    check_password(password)
    return password


@user.command(name="add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([*ROLES, "redaktör"]),
    default="redaktor",
    show_default=True,
    help="admin: also accounts, sources and settings; redaktor: add, edit and remove documents.",
)
@data_dir_option
@kb_errors
def add_user(settings: Settings, name: str, role: str) -> None:
    """Add an account (the password is asked for twice, hidden)."""
    name, checked_role = check_name(name), check_role(role)
    store = AccountStore.in_data_dir(settings.data_dir)
    if store.get(name) is not None:
        raise click.ClickException(f"Kontot {name} finns redan / account exists")
    account = store.add(name, checked_role, _prompt_password())
    AuditLog.in_data_dir(settings.data_dir).record(
        cli_user(), "user.add", account.name, role=account.role
    )
    click.echo(f"Kontot {account.name} ({account.role}) är skapat / account created")


@user.command(name="list")
@data_dir_option
@kb_errors
def list_users(settings: Settings) -> None:
    """List the accounts and their roles."""
    accounts = AccountStore.in_data_dir(settings.data_dir).all()
    for account in sorted(accounts.values(), key=lambda a: a.name):
        click.echo(f"{account.name:<24} {account.role:<9} {account.created}")
    if not any(a.is_admin for a in accounts.values()):
        click.echo("Inget administratörskonto: /admin är av / no admin account: /admin is off")


@user.command(name="remove")
@click.argument("name")
@data_dir_option
@kb_errors
def remove_user(settings: Settings, name: str) -> None:
    """Remove an account; its sessions stop working at once."""
    account = AccountStore.in_data_dir(settings.data_dir).remove(name)
    AuditLog.in_data_dir(settings.data_dir).record(
        cli_user(), "user.remove", account.name, role=account.role
    )
    click.echo(f"Kontot {account.name} är borttaget / account removed")


@user.command(name="passwd")
@click.argument("name")
@data_dir_option
@kb_errors
def set_password(settings: Settings, name: str) -> None:
    """Set a new password (asked for twice, hidden); the account's sessions end."""
    store = AccountStore.in_data_dir(settings.data_dir)
    account = store.get(name)
    if account is None:
        raise click.ClickException(f"Kontot finns inte / no such account: {name}")
    store.set_password(account.name, _prompt_password())
    AuditLog.in_data_dir(settings.data_dir).record(cli_user(), "user.password", account.name)
    click.echo(f"Nytt lösenord för {account.name} / password changed")
