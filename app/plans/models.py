"""A plan run for one local day, split into one part per territory, each solved as its own job."""

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, sql_in, utcnow


class PlanStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# A run's parts are leased for its time limit plus this; past it, its worker is taken as dead.
LEASE_GRACE = timedelta(seconds=20)
# A plan no worker has taken by then never will be (its web process died before handing it on).
QUEUE_LIMIT = timedelta(minutes=10)


class Plan(Base):
    """What the dispatcher asked for; its status and result are those of its parts together."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("time_limit_seconds > 0", name="time_limit_seconds"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    territory: Mapped[str | None] = mapped_column(String(80))
    time_limit_seconds: Mapped[int]
    visit_ids: Mapped[list[int] | None] = mapped_column(JSON)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    parts: Mapped[list["PlanPart"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanPart.id"
    )

    @property
    def status(self) -> PlanStatus:
        """Failed if any part failed, succeeded when all did, queued until one starts."""
        statuses = {part.current_status for part in self.parts}
        if PlanStatus.FAILED in statuses:
            return PlanStatus.FAILED
        if statuses <= {PlanStatus.SUCCEEDED}:
            return PlanStatus.SUCCEEDED
        return PlanStatus.QUEUED if statuses == {PlanStatus.QUEUED} else PlanStatus.RUNNING

    @property
    def routes(self) -> list[dict[str, Any]]:
        return [route for result in self._results for route in result["routes"]]

    @property
    def unassigned(self) -> list[dict[str, Any]]:
        return [item for result in self._results for item in result["unassigned"]]

    @property
    def stats(self) -> dict[str, Any] | None:
        """The parts' stats added up; solve seconds too, since each part is its own job."""
        if not self._results:
            return None
        stats = [result["stats"] for result in self._results]
        totals = {
            key: round(sum(part[key] for part in stats), 2)
            for key in ("assigned", "unassigned", "travel_km", "travel_minutes", "solve_seconds")
        }
        return {**totals, "utilisation": [row for part in stats for row in part["utilisation"]]}

    @property
    def _results(self) -> list[dict[str, Any]]:
        return [part.result for part in self.parts if part.result is not None]

    @property
    def error(self) -> str | None:
        errors = [
            f"{part.territory or 'all'}: {part.error or part.lost}"
            for part in self.parts
            if part.error or part.lost
        ]
        return "; ".join(errors) or None


class PlanPart(Base):
    """One territory's share of a plan: its visits, and the solver's answer for them.

    `fingerprints` holds each visit's state when the problem was built, so applying a plan
    whose visits changed meanwhile is refused instead of overwriting someone's decision.
    """

    __tablename__ = "plan_parts"
    __table_args__ = (CheckConstraint(sql_in("status", PlanStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    territory: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default=PlanStatus.QUEUED)
    visit_ids: Mapped[list[int]] = mapped_column(JSON)
    fingerprints: Mapped[dict[str, str] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="parts")

    @property
    def current_status(self) -> PlanStatus:
        return PlanStatus.FAILED if self.lost else PlanStatus(self.status)

    @property
    def lost(self) -> str | None:
        """Why an unfinished part never will finish: its worker died, or no worker took it."""
        if self.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING):
            return None
        now = utcnow()
        if self.lease_until is not None and now > self.lease_until:
            return (
                "the worker solving it stopped (killed or crashed) before its time limit ran "
                "out; run the plan again"
            )
        if self.lease_until is None and now > self.plan.created_at + QUEUE_LIMIT:
            return "no worker took it within 10 minutes; check the job workers and run it again"
        return None
