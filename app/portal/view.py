"""What the customer sees through the link: the case, its visits, a plain timeline, photos.

Built here rather than from the staff timeline because that one carries staff e-mails,
technician notes, diagnoses and guard overrides; the customer gets plain words only.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.cases.models import Case, Channel, Direction, Interaction
from app.catalog.models import Skill
from app.db import utcnow
from app.extensions import db
from app.parts.models import Part, Reservation, ReservationStatus
from app.photos.models import PhotoStatus
from app.photos.service import list_photos
from app.portal import wording
from app.portal.models import PortalConfirmation
from app.technicians.models import Technician
from app.visits.lifecycle import FINISHED
from app.visits.models import EventType, Visit, VisitEvent, VisitStatus

MAX_PHOTOS = 50


def case_page(case: Case) -> dict[str, Any]:
    """Everything the page and GET /portal/{token} show, in one shape for both."""
    zone = site_zone(case)
    visits = case_visits(case.id)
    return {
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_text": wording.CASE_STATUS[case.status],
        "timezone": zone.key,
        "upcoming": [shown_visit(v, zone) for v in visits if v.status not in FINISHED],
        "past": [shown_visit(v, zone) for v in visits if v.status in FINISHED],
        "timeline": _timeline(case.id),
        "photos": list_photos(case, status=PhotoStatus.READY, page=1, page_size=MAX_PHOTOS).items,
    }


def site_zone(case: Case) -> ZoneInfo:
    return ZoneInfo(case.site.timezone) if case.site else ZoneInfo("UTC")


def case_visits(case_id: int) -> list[Visit]:
    return list(
        db.session.scalars(
            select(Visit).where(Visit.case_id == case_id).order_by(Visit.window_start, Visit.id)
        )
    )


def first_name(technician: Technician) -> str:
    """The customer learns who is coming, never their full name, phone or home."""
    return technician.name.split()[0]


def shown_visit(visit: Visit, zone: ZoneInfo) -> dict[str, Any]:
    """One visit in plain words, with times in the site's zone for the page."""
    on_the_way = visit.status == VisitStatus.EN_ROUTE
    return {
        "id": visit.id,
        "type": wording.VISIT_KIND[visit.kind],
        "status": visit.status,
        "status_text": wording.VISIT_STATUS[visit.status],
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "window_text": wording.window(visit.window_start, visit.window_end, zone),
        "technician": _technician(visit),
        "prepare": _prepare(visit, zone),
        "parts": _parts(visit.id, zone),
        "on_the_way": on_the_way,
        "eta": _eta(visit) if on_the_way else None,
        "confirmed": _confirmed(visit),
    }


def _technician(visit: Visit) -> dict[str, str] | None:
    technician = visit.technician
    if technician is None:
        return None
    return {"first_name": first_name(technician), "trade": _trade(visit, technician)}


def _trade(visit: Visit, technician: Technician) -> str:
    """Named by the skill this visit needs, else by the technician's strongest skill."""
    needed = [row.skill_code for row in visit.requirements.skills]
    ranked = sorted(technician.skills, key=lambda row: (row.skill_code not in needed, -row.level))
    if not ranked:
        return wording.GENERIC_TRADE
    name = db.session.scalar(select(Skill.name).where(Skill.code == ranked[0].skill_code))
    return (name or ranked[0].skill_code).lower()


def _prepare(visit: Visit, zone: ZoneInfo) -> list[str]:
    """What to have ready, and first of all any visit that must happen before this one."""
    before = [
        wording.needs_first(wording.VISIT_KIND[required.kind], required.window_start, zone)
        for required in visit.prerequisites
        if required.status != VisitStatus.COMPLETED
    ]
    return before + list(wording.PREPARE[visit.kind])


def _parts(visit_id: int, zone: ZoneInfo) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Reservation, Part.name)
        .join(Part, Part.sku == Reservation.sku)
        .where(Reservation.visit_id == visit_id, Reservation.status != ReservationStatus.RELEASED)
        .order_by(Reservation.id)
    ).all()
    now = utcnow()
    return [
        {
            "name": name,
            "quantity": reservation.quantity,
            "status_text": wording.part_status(reservation.status, reservation.ready_at, now, zone),
        }
        for reservation, name in rows
    ]


def _eta(visit: Visit) -> datetime | None:
    """The technician's ETA reported with en_route; the visit's own start without one."""
    return visit.eta_at or visit.start_at


def _confirmed(visit: Visit) -> bool:
    latest = db.session.scalar(
        select(PortalConfirmation)
        .where(PortalConfirmation.visit_id == visit.id)
        .order_by(PortalConfirmation.confirmed_at.desc(), PortalConfirmation.id.desc())
        .limit(1)
    )
    return latest is not None and (latest.window_start, latest.window_end) == (
        visit.window_start,
        visit.window_end,
    )


def _timeline(case_id: int) -> list[dict[str, Any]]:
    entries = _interactions(case_id) + _visit_milestones(case_id)
    return sorted(entries, key=lambda entry: entry["at"])


def _interactions(case_id: int) -> list[dict[str, Any]]:
    """Contacts in plain words; only the customer's own portal words are quoted back.

    Staff summaries and bodies are internal notes, and technician notes are internal too.
    """
    rows = db.session.scalars(
        select(Interaction)
        .where(Interaction.case_id == case_id, Interaction.channel != Channel.TECHNICIAN)
        .order_by(Interaction.occurred_at, Interaction.id)
    )
    return [
        {
            "at": row.occurred_at,
            "summary": row.summary
            if row.channel == Channel.PORTAL
            else wording.contact(row.channel, row.direction == Direction.INBOUND),
        }
        for row in rows
    ]


def _visit_milestones(case_id: int) -> list[dict[str, Any]]:
    visits = db.session.execute(
        select(Visit.created_at, Visit.kind).where(Visit.case_id == case_id)
    ).all()
    events = db.session.execute(
        select(VisitEvent.at, VisitEvent.type, Visit.kind)
        .join(Visit, Visit.id == VisitEvent.visit_id)
        .where(Visit.case_id == case_id)
    ).all()
    planned = [
        {"at": at, "summary": f"{wording.VISIT_KIND[kind].capitalize()} planned"}
        for at, kind in visits
    ]
    happened = [
        {"at": at, "summary": wording.event(EventType(type_), wording.VISIT_KIND[kind])}
        for at, type_, kind in events
    ]
    return planned + happened
