"""The manager's figures for a period and territory, each computed by the database."""

import csv
import io
from datetime import date
from typing import Any

from app.insights import cases, operations
from app.insights.period import Period


def compute_insights(*, first: date, last: date, territory: str | None = None) -> dict[str, Any]:
    period = Period(first, last, territory)
    return {
        "from": first,
        "to": last,
        "territory": territory,
        "first_time_fix": cases.first_time_fix(period),
        **operations.refusals(period),
        **cases.contacts_before_resolution(period),
        "customers_with_unresolved_attempts": cases.customers_with_unresolved_attempts(period),
        "visits_by_outcome": operations.visit_outcomes(period),
        "plans": operations.applied_plans(period),
        "messages": operations.messages(period),
    }


def as_csv(figures: dict[str, Any]) -> str:
    """One line per number: figure, key (for breakdowns), value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "key", "value"])
    for name, value in figures.items():
        for key, number in _flat(value):
            writer.writerow([name, key, "" if number is None else number])
    return out.getvalue()


def _flat(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            pair
            for key, inner in value.items()
            for pair in _flat(inner, f"{prefix}.{key}" if prefix else str(key))
        ]
    return [(prefix, value.isoformat() if isinstance(value, date) else value)]
