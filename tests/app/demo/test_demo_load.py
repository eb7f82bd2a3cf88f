"""`flask demo load` fills an empty database once, and a second run changes nothing."""

from sqlalchemy import func, select

from app.cases.models import Case, Interaction
from app.customers.models import Customer
from app.extensions import db
from app.technicians.models import Technician
from app.visits.models import Visit


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Customer, Case, Interaction, Technician, Visit)
    }


def test_demo_data_loads_once_and_a_second_run_changes_nothing(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    loaded = counts()
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert "dispatcher@firstfix.example" in first.output
    assert loaded["Customer"] >= 200 and loaded["Technician"] >= 30
    assert loaded["Interaction"] > loaded["Case"]
    assert {status for (status,) in db.session.execute(select(Visit.status).distinct())} >= {
        "unassigned",
        "scheduled",
        "completed",
        "cancelled",
    }
    assert "already loaded" in second.output
    assert counts() == loaded
