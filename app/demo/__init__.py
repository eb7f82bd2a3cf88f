"""Demo data for `make run`: enough customers, cases and people to try every endpoint."""

from sqlalchemy import select

from app.auth.models import User
from app.demo.case_file import load_case_file
from app.demo.field import load_field
from app.demo.people import DISPATCHER_EMAIL, DISPATCHER_PASSWORD, load_users
from app.demo.plans import load_plan_day
from app.extensions import db


def load_demo() -> str:
    """Idempotent: a second run sees the demo dispatcher and leaves everything as it is."""
    if db.session.scalar(select(User.id).where(User.email == DISPATCHER_EMAIL)):
        return f"Demo data already loaded. Sign in as {DISPATCHER_EMAIL} / {DISPATCHER_PASSWORD}."
    agent = load_users()
    summary = f"{load_case_file(agent)}, {load_field()}, {load_plan_day(agent)}"
    return f"Loaded {summary}. Sign in as {DISPATCHER_EMAIL} / {DISPATCHER_PASSWORD}."
