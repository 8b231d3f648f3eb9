"""``flask users …``: create and list editor accounts from the command line."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from app.editor import audit
from app.editor.forms import MIN_PASSWORD
from app.extensions import db
from app.models import User
from app.vocab import Role

users_cli = click.Group("users", help="Manage editor accounts.")


def _read_password() -> str:
    """Prompt twice on a terminal; read one line when the password is piped in."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(Role.values()), default=Role.EDITOR.value,
              show_default=True)
def create_user(email: str, role: str) -> None:
    """Create an account; the password is asked for (or read from standard input)."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"an account for {email} already exists")
    password = _read_password()
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"the password needs at least {MIN_PASSWORD} characters")
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", f"user:{email}", f"role {role}, from the command line")
    db.session.commit()
    click.echo(f"created {role} {email}")


@users_cli.command("list")
def list_users() -> None:
    """Print every account with its role."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "" if user.active else " (disabled)"
        click.echo(f"{user.email}\t{user.role}{state}")
