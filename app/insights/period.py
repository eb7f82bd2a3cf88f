"""The period and territory every figure is computed over, and the territory's SQL tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, select, true

from app.technicians.models import Technician
from app.visits.models import Visit


@dataclass(frozen=True, slots=True)
class Period:
    """UTC days `first` to `last`, both included; `territory` None means everywhere."""

    first: date
    last: date
    territory: str | None = None

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), UTC)

    def holds(self, column: Any) -> ColumnElement[bool]:
        return (column >= self.start) & (column < self.end)

    def has_case(self, case_id: Any) -> ColumnElement[bool]:
        """A case is in a territory when one of its visits is booked to a technician of it."""
        if self.territory is None:
            return true()
        return exists(
            select(Visit.id)
            .join(Technician, Visit.technician_id == Technician.id)
            .where(Visit.case_id == case_id, Technician.territory == self.territory)
        )

    def has_technician(self, technician_id: Any) -> ColumnElement[bool]:
        if self.territory is None:
            return true()
        return technician_id.in_(
            select(Technician.id).where(Technician.territory == self.territory)
        )
