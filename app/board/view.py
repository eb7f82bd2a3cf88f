"""What the /board page shows for a day and territory, ready for its template."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from app.auth.principal import Principal
from app.board import service
from app.board.map_view import route_map
from app.board.plan_view import plan_panel
from app.plans.service import list_plans
from app.technicians.service import active_technicians
from app.visits.models import Visit, VisitStatus

AXIS_HOURS = (6, 20)  # the time axis, local: wide enough for every shift of the demo
MAX_VISITS = 500


@dataclass
class Board:
    day: date
    territory: str | None
    zone: ZoneInfo
    axis: tuple[datetime, datetime]
    rows: list[dict[str, Any]] = field(default_factory=list)
    unassigned: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    map: dict[str, Any] = field(default_factory=dict)

    def share(self, moment: datetime) -> float:
        """Where a moment sits on the axis, in percent, clipped to it."""
        start, end = self.axis
        spread = (end - start).total_seconds()
        return max(0.0, min(100.0, 100 * (moment - start).total_seconds() / spread))


def board_for(
    day: date, *, territory: str | None, viewer: Principal, tiles_url: str | None = None
) -> Board:
    technicians = [t for t in active_technicians() if territory is None or t.territory == territory]
    zone = ZoneInfo(technicians[0].timezone) if technicians else ZoneInfo("UTC")
    axis = tuple(datetime.combine(day, time(hour), zone).astimezone(UTC) for hour in AXIS_HOURS)
    board = Board(day, territory, zone, axis)  # type: ignore[arg-type]
    for technician in technicians:
        board.rows.append(service.technician_schedule(technician.id, day=day, viewer=viewer))
    plans = list_plans(page=1, page_size=1, day=day).items
    plan = plans[0] if plans else None
    board.plan = plan_panel(plan, board.rows) if plan is not None else None
    planned = {item["visit_id"]: item["reasons"] for item in plan.unassigned} if plan else {}
    waiting = service.list_visits(
        page=1, page_size=MAX_VISITS, date=day, territory=territory, status=VisitStatus.UNASSIGNED
    ).items
    board.unassigned = [
        {"visit": visit, "reasons": planned.get(visit.id) or _why_not(visit)} for visit in waiting
    ]
    board.map = route_map(board.rows, board.unassigned, tiles_url=tiles_url)
    return board


def _why_not(visit: Visit) -> list[dict[str, str]]:
    """No plan run of the day gave a reason: say what it waits for and what it needs."""
    needs = [f"{row.skill_code} level {row.level}" for row in visit.required_skills]
    needs += list(visit.required_equipment)
    needs += [f"{row.quantity} x {row.sku}" for row in visit.required_parts]
    detail = "Not booked and in no plan run yet"
    if needs:
        detail += f"; it needs {', '.join(needs)}"
    return [{"code": "not_planned", "detail": detail + "."}]


def local(moment: datetime | None, zone: ZoneInfo | str) -> str:
    """HH:MM where the work happens: the board's zone, or a site's own."""
    if moment is None:
        return ""
    return moment.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)).strftime(
        "%H:%M"
    )


def minutes(seconds: int | None) -> str:
    return "" if seconds is None else f"{round(seconds / 60)} min"
