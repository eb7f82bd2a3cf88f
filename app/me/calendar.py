"""The technician's visits as an iCalendar feed, behind a per-technician signed token.

Calendar apps poll a URL and cannot send a bearer token, so the URL itself is the secret:
an itsdangerous signature over the user id and their calendar version, with its own salt so no
other signed token of the app can be replayed here. The feed is served only while the account
is active and the version still matches: deactivating the user, or asking for the links to be
retired, bumps the version and every earlier link is a 404 from the next poll.
"""

import re
from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event, vGeo, vText
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from app.auth.models import User
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
# RFC 5545 TEXT allows no control characters; newlines are escaped by vText, the rest dropped.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def calendar_token(principal: Principal) -> str:
    find_technician(principal)  # only technicians have a calendar
    version = db.session.scalar(select(User.calendar_version).where(User.id == principal.user_id))
    return _serializer().dumps({"user": principal.user_id, "version": version})


def calendar_feed(token: str) -> bytes:
    """Visits from a month ago on; a forged, retired or deactivated user's token is a 404."""
    technician = _technician_of(token)
    if technician is None:
        raise NotFound("No calendar at this address.")
    calendar = Calendar()
    calendar.add("prodid", "-//FirstFix//Technician visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _text(f"FirstFix visits of {technician.name}", one_line=True))
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


def _technician_of(token: str) -> Technician | None:
    """The active technician of an active user whose calendar version the token carries."""
    try:
        claim = _serializer().loads(token)
        user_id, version = int(claim["user"]), int(claim["version"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return db.session.scalar(
        select(Technician)
        .join(User, User.email == Technician.email)
        .where(
            User.id == user_id,
            User.active,
            User.calendar_version == version,
            Technician.active,
        )
    )


def _event(visit: Visit, case: Case, site: Site | None) -> Event:
    event = Event()
    event.add("uid", f"visit-{visit.id}@firstfix")
    event.add("dtstamp", visit.updated_at)
    event.add("dtstart", visit.start_at)
    event.add("dtend", visit.end_at)
    event.add("summary", _text(f"{case.number} {visit.kind}: {case.title}"))
    event.add("status", "CONFIRMED")
    if site is not None:
        event.add("location", _text(site.address))
        event.add("geo", vGeo((site.latitude, site.longitude)))
        if site.access_notes:
            event.add("description", _text(f"Access: {site.access_notes}"))
    return event


def _text(value: str, *, one_line: bool = False) -> vText:
    """Text as a calendar can hold it, whatever was stored before names were kept to one line
    (an unescaped newline in the calendar's name made the whole feed fail)."""
    text = _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    return vText(text.replace("\n", " ") if one_line else text)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)
