"""`flask --app wsgi ...` commands: db, users, demo, relay, photos, mail."""

import threading
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import migrations
from app.auth import service as auth
from app.auth.models import Role
from app.demo import load_demo
from app.extensions import db
from app.inbound.smtp import mail_listener
from app.notifications.runner import RelayLoop
from app.photos.sweep import sweep_abandoned_uploads

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
users_cli = AppGroup("users", help="Sign-in accounts.")
demo_cli = AppGroup("demo", help="Demo data.")
relay_cli = AppGroup("relay", help="The notifications outbox relay.")
photos_cli = AppGroup("photos", help="Photo housekeeping.")
mail_cli = AppGroup("mail", help="Inbound e-mail over SMTP.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest)."""
    migrations.upgrade(revision)


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION."""
    migrations.downgrade(revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    migrations.revision(message)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def users_create(email: str, role: str, password: str) -> None:
    """Create a user who signs in with EMAIL."""
    with db.unit_of_work():
        user = auth.create_user(email, role=role, password=password)
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("deactivate")
@click.argument("email")
def users_deactivate(email: str) -> None:
    """Stop EMAIL at once: bearer tokens and calendar links no longer work."""
    with db.unit_of_work():
        user = auth.set_active(email, active=False)
    click.echo(f"Deactivated {user.email}; their tokens and calendar links stop working now.")


@users_cli.command("activate")
@click.argument("email")
def users_activate(email: str) -> None:
    """Let EMAIL sign in again (calendar links retired by deactivation stay retired)."""
    with db.unit_of_work():
        user = auth.set_active(email, active=True)
    click.echo(f"Activated {user.email}; they sign in again and ask for a new calendar link.")


@users_cli.command("retire-calendar-links")
@click.argument("email")
def users_retire_calendar_links(email: str) -> None:
    """Every calendar address given to EMAIL so far stops working."""
    with db.unit_of_work():
        user = auth.find_user(email)
        auth.retire_calendar_links(user.id)
    click.echo(f"Retired the calendar links of {user.email}.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demo data once; running it again changes nothing."""
    with db.unit_of_work():
        loaded = load_demo()
    click.echo(loaded)


@relay_cli.command("run")
def relay_run() -> None:
    """Send queued notifications until stopped; run as many as you like side by side."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"Relay running, sweeping every {app.config['RELAY_INTERVAL_SECONDS']} s.")
    try:
        RelayLoop(app).run()
    except KeyboardInterrupt:
        click.echo("Relay stopped.")


@photos_cli.command("sweep")
@click.option("--hours", default=24, show_default=True, help="Age of an abandoned upload.")
def photos_sweep(hours: int) -> None:
    """Delete uploads never completed (their originals still carry GPS); run it from cron."""
    with db.unit_of_work():
        swept = sweep_abandoned_uploads(older_than=timedelta(hours=hours))
    click.echo(f"Swept {swept} abandoned upload(s).")


@mail_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
def mail_serve(host: str, port: int) -> None:
    """Receive mail over SMTP (a relay host's transport) onto cases until stopped."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    listener = mail_listener(app, host=host, port=port)
    listener.start()
    click.echo(f"Receiving mail on {host}:{port}.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Mail listener stopped.")
    finally:
        listener.stop()


def register_cli(app: Flask) -> None:
    for group in (db_cli, users_cli, demo_cli, relay_cli, photos_cli, mail_cli):
        app.cli.add_command(group)
