"""The technician's visits as an iCalendar feed, behind a per-technician signed token.

Calendar apps poll a URL and cannot send a bearer token, so the URL itself is the secret:
an itsdangerous signature over the technician id, with its own salt so no other signed token
of the app can be replayed here.
"""

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event, vGeo
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.auth.principal import Principal
from app.cases.models import Case
from app.customers.models import Site
from app.db import utcnow
from app.errors import NotFound
from app.extensions import db
from app.me.service import find_technician
from app.technicians.models import Technician
from app.visits.models import Visit, VisitStatus

SALT = "firstfix-calendar-feed"
PAST = timedelta(days=30)


def calendar_token(principal: Principal) -> str:
    technician, _van = find_technician(principal)
    return _serializer().dumps({"technician": technician.id})


def calendar_feed(token: str) -> bytes:
    """Visits from a month ago on; an unknown or forged token is a 404."""
    try:
        technician_id = _serializer().loads(token)["technician"]
    except (BadSignature, KeyError, TypeError) as error:
        raise NotFound("No calendar at this address.") from error
    technician = db.session.get(Technician, technician_id)
    if technician is None or not technician.active:
        raise NotFound("No calendar at this address.")
    calendar = Calendar()
    calendar.add("prodid", "-//FirstFix//Technician visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"FirstFix visits of {technician.name}")
    rows = db.session.execute(
        select(Visit, Case, Site)
        .join(Case, Case.id == Visit.case_id)
        .outerjoin(Site, Site.id == Case.site_id)
        .where(
            Visit.technician_id == technician.id,
            Visit.status != VisitStatus.CANCELLED,
            Visit.start_at >= utcnow() - PAST,
        )
        .order_by(Visit.start_at)
    )
    for visit, case, site in rows:
        calendar.add_component(_event(visit, case, site))
    return calendar.to_ical()


def _event(visit: Visit, case: Case, site: Site | None) -> Event:
    event = Event()
    event.add("uid", f"visit-{visit.id}@firstfix")
    event.add("dtstamp", visit.updated_at)
    event.add("dtstart", visit.start_at)
    event.add("dtend", visit.end_at)
    event.add("summary", f"{case.number} {visit.kind}: {case.title}")
    event.add("status", "CONFIRMED")
    if site is not None:
        event.add("location", site.address)
        event.add("geo", vGeo((site.latitude, site.longitude)))
        if site.access_notes:
            event.add("description", f"Access: {site.access_notes}")
    return event


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
