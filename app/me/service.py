"""Use cases of the technician's phone: the day, what changed since the last sync."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, bindparam, select

from app.auth.models import Role, User
from app.auth.principal import Principal
from app.auth.service import principal_of
from app.errors import NotFound
from app.extensions import db
from app.me.cache import DayKey, day_key
from app.me.day import load_visits
from app.me.models import Change, ChangeCounter
from app.parts.models import LocationKind, StockLocation
from app.technicians.models import Technician
from app.visits.models import Visit, VisitStatus

SYNC_PAGE = 200


@dataclass(frozen=True, slots=True)
class Day:
    """A technician's day as the phone asks for it; the key says whether its copy is current."""

    technician_id: int
    van_id: int | None
    day: date
    key: DayKey


def find_technician(principal: Principal) -> tuple[Technician, int | None]:
    """The caller's technician record and van location, in one query."""
    technician, van_id, _last_seq = _find_with_feed(principal)
    return technician, van_id


def find_day(user_id: int, *, day: date, token_version: int) -> Day:
    """The caller's account, technician and the cache key of their day, in one statement.

    This is all a cached day costs, so the account check (active, role) rides along instead
    of taking a query of its own, and on PostgreSQL each worker keeps the row until a write
    to the user, technician, van or change counter is announced: a cached day then costs no
    query at all (a deactivated account is refused as soon as its notice arrives). The feed
    number is read before the visits (as the sync cursor is): a body built under a key holds
    every change up to that number, perhaps one more, never one fewer.
    """
    row = db.watched_row(_ACCOUNT_AND_FEED, {"user_id": user_id}, tags=_account_tags)
    principal = principal_of(user_id, row, token_version=token_version)
    principal.require(Role.TECHNICIAN)
    assert row is not None  # principal_of refused a missing or inactive account
    technician_id = row["technician_id"]
    if technician_id is None:
        raise NotFound(_NOT_A_TECHNICIAN.format(principal.email))
    key = day_key(technician_id, day, row["last_seq"] or 0)
    return Day(technician_id, row["van_id"], day, key)


def _account_tags(row: Mapping[str, Any]) -> tuple[str, ...]:
    """The rows the account-and-feed row is made of (see watched_rows.py): the user, and the
    technician with their van and change counter. Kept only for technicians: a technician
    record created for the user's e-mail later names no tag the user's row could carry."""
    if row["technician_id"] is None:
        return ()
    return (f"user:{row['user_id']}", f"technician:{row['technician_id']}")


def day_visits(day: Day) -> list[dict[str, Any]]:
    """The day (in the technician's own time zone) in route order."""
    with db.autocommit_reads():
        technician = db.session.get_one(Technician, day.technician_id)
        return load_visits(
            technician,
            van_id=day.van_id,
            where=and_(
                _mine(technician),
                Visit.start_at >= _local_midnight(technician, day.day),
                Visit.start_at < _local_midnight(technician, day.day + timedelta(days=1)),
            ),
        )


def sync_changes(principal: Principal, *, since: int | None) -> dict[str, Any]:
    """Visits to (re)store and tombstones to drop, with the cursor to send next time.

    Without a cursor the phone gets everything from today on. The cursor is read before the
    visits: a change committed in between is sent now and again next time, never lost.
    """
    with db.autocommit_reads():
        return _changes_since(principal, since)


def _changes_since(principal: Principal, since: int | None) -> dict[str, Any]:
    technician, van_id, cursor = _find_with_feed(principal)
    if since is None:
        today = _local_midnight(technician, datetime.now(ZoneInfo(technician.timezone)).date())
        where = and_(_mine(technician), Visit.end_at >= today)
        visits = load_visits(technician, van_id=van_id, where=where)
        return {"cursor": str(cursor), "more": False, "visits": visits, "removed": []}
    changes = list(
        db.session.scalars(
            select(Change)
            .where(Change.technician_id == technician.id, Change.seq > since)
            .order_by(Change.seq)
            .limit(SYNC_PAGE)
        )
    )
    touched = {change.visit_id for change in changes}
    visits = load_visits(
        technician, van_id=van_id, where=and_(_mine(technician), Visit.id.in_(touched))
    )
    return {
        "cursor": str(changes[-1].seq if changes else since),
        "more": len(changes) == SYNC_PAGE,
        "visits": visits,
        "removed": _tombstones(touched - {card["visit"].id for card in visits}),
    }


def _tombstones(visit_ids: set[int]) -> list[dict[str, Any]]:
    """Why each visit left the phone: cancelled, back with dispatch, or someone else's now."""
    rows = db.session.execute(
        select(Visit.id, Visit.status, Visit.technician_id).where(Visit.id.in_(visit_ids))
    )
    found = {visit_id: (status, tech) for visit_id, status, tech in rows}
    removed = []
    for visit_id in sorted(visit_ids):
        status, technician_id = found.get(visit_id, (None, None))
        if status is None or status == VisitStatus.CANCELLED:
            reason = "cancelled"
        else:
            reason = "unassigned" if technician_id is None else "reassigned"
        removed.append({"visit_id": visit_id, "reason": reason})
    return removed


def _find_with_feed(principal: Principal) -> tuple[Technician, int | None, int]:
    """The technician, their van and their change-feed number (0 before any change)."""
    row = db.session.execute(
        _with_van_and_feed(select(Technician, StockLocation.id, ChangeCounter.last_seq)).where(
            Technician.email == principal.email
        )
    ).first()
    if row is None:
        raise NotFound(_NOT_A_TECHNICIAN.format(principal.email))
    return row[0], row[1], row[2] or 0


def _with_van_and_feed(query: Select[Any]) -> Select[Any]:
    return query.outerjoin(
        StockLocation,
        and_(StockLocation.technician_id == Technician.id, StockLocation.kind == LocationKind.VAN),
    ).outerjoin(ChangeCounter, ChangeCounter.technician_id == Technician.id)


_NOT_A_TECHNICIAN = "{} is not set up as a technician; ask a dispatcher."

# Built once: the hottest statement of the phone's day, compiled once by the hot reader.
_ACCOUNT_AND_FEED = _with_van_and_feed(
    select(
        User.id.label("user_id"),
        User.email,
        User.role,
        User.token_version,
        Technician.id.label("technician_id"),
        StockLocation.id.label("van_id"),
        ChangeCounter.last_seq,
    )
    .select_from(User)
    .outerjoin(Technician, Technician.email == User.email)
).where(User.id == bindparam("user_id"), User.active)


def _mine(technician: Technician) -> Any:
    return and_(Visit.technician_id == technician.id, Visit.status != VisitStatus.CANCELLED)


def _local_midnight(technician: Technician, day: date) -> datetime:
    zone = ZoneInfo(technician.timezone)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
