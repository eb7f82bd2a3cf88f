"""Writes the technician change feed in the same transaction as whatever changed.

An ORM listener rather than calls sprinkled through services: visits are moved by dispatchers,
the planner, phones and the portal, photos and notes by other slices, and a feed that one of
them forgot to write would silently lose a change. Flushes collect what changed; just before
the commit the technicians concerned are resolved, their counters bumped in id order (a fixed
lock order, so two writers never deadlock) and the numbered rows inserted.

What a phone's card shows of its case reaches every technician with a visit on that case: the
case itself, its diagnosis, photos and notes, how its other visits ended or are going (a card
lists them as previous visits and prerequisites), and the customer's name, contacts, sites and
assets. A change to the stock on a van reaches its technician's open visits (the card says
which parts ride along). The day cache (cache.py) relies on this feed: only catalog names and
the age of photo links are left to its window.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, event, insert, inspect, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.cases.models import Case, Interaction
from app.customers.models import Asset, ContactPoint, Customer, Site
from app.db import utcnow
from app.me.models import Change, ChangeCounter
from app.parts.models import Reservation, StockLevel, StockLocation
from app.photos.models import Photo
from app.visits.models import ACTIVE_BOOKING, Diagnosis, Visit, VisitEvent, VisitStatus

_PENDING = "firstfix_pending_changes"
_CASE_WIDE = {Diagnosis: "diagnosis", Photo: "photo", Interaction: "note"}
_CUSTOMER_WIDE = (ContactPoint, Site, Asset)


@dataclass
class Pending:
    """What this transaction changed, before we know whose feeds it belongs in."""

    visits: dict[int, str] = field(default_factory=dict)
    cases: dict[int, str] = field(default_factory=dict)
    direct: set[tuple[int, int, str]] = field(default_factory=set)
    customers: set[int] = field(default_factory=set)
    stock_locations: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(
            self.visits or self.cases or self.direct or self.customers or self.stock_locations
        )


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: Any) -> None:
    pending: Pending = session.info.setdefault(_PENDING, Pending())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Visit) and (obj in session.new or session.is_modified(obj)):
            pending.visits[obj.id] = "visit"
            pending.direct.update((old, obj.id, "removed") for old in _previous_technicians(obj))
        elif isinstance(obj, Reservation) or (isinstance(obj, VisitEvent) and obj in session.new):
            pending.visits.setdefault(obj.visit_id, "visit")
        elif isinstance(obj, Case) and session.is_modified(obj, include_collections=False):
            pending.cases[obj.id] = "case"
        elif type(obj) in _CASE_WIDE:
            pending.cases[obj.case_id] = _CASE_WIDE[type(obj)]
        elif isinstance(obj, Customer):
            pending.customers.add(obj.id)
        elif isinstance(obj, _CUSTOMER_WIDE):
            pending.customers.add(obj.customer_id)
        elif isinstance(obj, StockLevel):
            pending.stock_locations.add(obj.location_id)


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    by_technician: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for technician_id, visit_id, kind in _resolve(session, pending):
        by_technician[technician_id].append((visit_id, kind))
    now = utcnow()
    for technician_id in sorted(by_technician):
        changes = sorted(set(by_technician[technician_id]))
        last = _bump(session, technician_id, len(changes))
        first = last - len(changes) + 1
        session.execute(
            insert(_table(Change)),
            [
                {
                    "technician_id": technician_id,
                    "seq": first + n,
                    "visit_id": visit_id,
                    "kind": kind,
                    "recorded_at": now,
                }
                for n, (visit_id, kind) in enumerate(changes)
            ],
        )


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _previous_technicians(visit: Visit) -> set[int]:
    """Technicians this flush took the visit away from: they get a tombstone."""
    state = inspect(visit)
    old = set(state.attrs.technician_id.history.deleted)
    old.update(tech.id for tech in state.attrs.technician.history.deleted if tech is not None)
    old.discard(None)
    old.discard(visit.technician_id)
    return old


def _resolve(session: Session, pending: Pending) -> set[tuple[int, int, str]]:
    """Whose feeds each change goes in: the visit's technician, and the other active visits'
    technicians on its case (their cards list it as a previous visit or a prerequisite)."""
    found = set(pending.direct)
    if pending.visits:
        cases = select(Visit.case_id).where(Visit.id.in_(pending.visits))
        rows = session.execute(
            select(Visit.id, Visit.technician_id).where(
                Visit.technician_id.is_not(None),
                or_(
                    Visit.id.in_(pending.visits),
                    and_(Visit.case_id.in_(cases), Visit.status != VisitStatus.CANCELLED),
                ),
            )
        )
        found.update(
            (tech, visit_id, pending.visits.get(visit_id, "case")) for visit_id, tech in rows
        )
    if pending.cases:
        rows = session.execute(
            select(Visit.id, Visit.technician_id, Visit.case_id).where(
                Visit.case_id.in_(pending.cases),
                Visit.technician_id.is_not(None),
                Visit.status != VisitStatus.CANCELLED,
            )
        )
        found.update((tech, visit_id, pending.cases[case_id]) for visit_id, tech, case_id in rows)
    return found | _resolve_outside(session, pending)


def _resolve_outside(session: Session, pending: Pending) -> set[tuple[int, int, str]]:
    """The open visits whose cards show a changed customer, or a changed van's stock."""
    open_visits = select(Visit.id, Visit.technician_id).where(
        Visit.technician_id.is_not(None), Visit.status.in_(ACTIVE_BOOKING)
    )
    queries = []
    if pending.customers:
        by_customer = open_visits.join(Case, Case.id == Visit.case_id)
        queries.append(("customer", by_customer.where(Case.customer_id.in_(pending.customers))))
    if pending.stock_locations:
        by_van = open_visits.join(StockLocation, StockLocation.technician_id == Visit.technician_id)
        queries.append(("stock", by_van.where(StockLocation.id.in_(pending.stock_locations))))
    return {
        (tech, visit_id, kind)
        for kind, query in queries
        for visit_id, tech in session.execute(query)
    }


def _bump(session: Session, technician_id: int, count: int) -> int:
    """Reserve `count` numbers; the row lock taken here is what orders commits per technician.

    An upsert, so the first change of a technician needs no separate, racy insert.
    """
    counters = _table(ChangeCounter)
    dialect = session.get_bind().dialect.name
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(counters)
    statement = upsert.values(technician_id=technician_id, last_seq=count).on_conflict_do_update(
        index_elements=["technician_id"],
        set_={"last_seq": counters.c.last_seq + upsert.excluded.last_seq},
    )
    return int(session.execute(statement.returning(counters.c.last_seq)).scalar_one())


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]
