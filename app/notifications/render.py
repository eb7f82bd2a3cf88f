"""Messages rendered when they are sent, from the case and visit as they are at that moment.

Nothing is rendered when a message is queued: a visit moved twice before the relay runs is
described as it is now, never as it was. The customer's link goes out in the message only:
what the case keeps reads "[customer link]", since anyone reading the case could use it.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from jinja2 import Environment, StrictUndefined, Template

from app.cases.models import Case
from app.db import utcnow
from app.extensions import db
from app.notifications.channels.email import mail_domain
from app.notifications.ics import visit_calendar
from app.notifications.models import DeliveryChannel, Event, Notification
from app.notifications.wording import WORDING, next_step, visit_facts
from app.portal.tokens import issue_portal_link
from app.visits.models import Visit, VisitStatus

_PLANNED = (VisitStatus.UNASSIGNED, VisitStatus.SCHEDULED)
# A visit message is only true while the visit is in one of these statuses.
STILL_TRUE: dict[str, tuple[VisitStatus, ...]] = {
    Event.VISIT_SCHEDULED: (VisitStatus.SCHEDULED,),
    Event.VISIT_MOVED: (VisitStatus.SCHEDULED,),
    Event.VISIT_REASSIGNED: (VisitStatus.SCHEDULED,),
    Event.VISIT_WINDOW_CHANGED: _PLANNED,
    Event.VISIT_UNBOOKED: (VisitStatus.UNASSIGNED,),
    Event.VISIT_PREREQUISITE_NEEDED: _PLANNED,
    Event.VISIT_CANCELLED: (VisitStatus.CANCELLED,),
    Event.VISIT_EN_ROUTE: (VisitStatus.EN_ROUTE,),
    Event.VISIT_NO_ACCESS: (VisitStatus.UNASSIGNED,),
    Event.VISIT_COMPLETED: (VisitStatus.COMPLETED,),
}


CUSTOMER_LINK = "[customer link]"


class Stale(Exception):
    """The record moved on so that this message would now be wrong; it is not sent."""


# E-mails about these carry the visit as an .ics attachment.
WITH_CALENDAR = (
    Event.VISIT_SCHEDULED,
    Event.VISIT_MOVED,
    Event.VISIT_REASSIGNED,
    Event.VISIT_WINDOW_CHANGED,
)


@dataclass(frozen=True)
class Rendered:
    """`subject` and `body` as sent; `kept` is the body the case keeps, `headline` its one line.

    The timeline shows the headline (the e-mail subject, whatever the channel), never a body.
    """

    subject: str | None
    body: str
    kept: str
    headline: str
    calendar: str | None = None


def render(notification: Notification) -> Rendered:
    case = db.session.get_one(Case, notification.case_id)
    visit = db.session.get(Visit, notification.visit_id) if notification.visit_id else None
    if visit is not None and visit.status not in STILL_TRUE.get(notification.event, ()):
        raise Stale(f"visit {visit.id} is now {visit.status}")
    if notification.channel == DeliveryChannel.WEBHOOK:
        payload = json.dumps(_payload(notification, case, visit))
        return Rendered(notification.event, payload, payload, notification.event)
    facts = _facts(case, visit, notification.params or {})
    kept_facts = {**facts, "portal_url": CUSTOMER_LINK}
    if visit is not None:
        facts = _with_visit(facts, visit, notification.event)
        kept_facts = _with_visit(kept_facts, visit, notification.event)
    subject, text, sms = (_template(part) for part in WORDING[notification.event])
    headline = subject.render(kept_facts)
    if notification.channel == DeliveryChannel.SMS:
        return Rendered(None, sms.render(facts), sms.render(kept_facts), headline)
    calendar = None
    if visit is not None and notification.event in WITH_CALENDAR:
        domain = mail_domain(current_app.config["MAIL_FROM"])
        calendar = visit_calendar(visit, case, kind=facts["kind"], domain=domain)
    return Rendered(headline, text.render(facts), text.render(kept_facts), headline, calendar)


def _with_visit(facts: dict[str, Any], visit: Visit, event: str) -> dict[str, Any]:
    """The visit's own facts (the caller's params win) and what happens next, told with them."""
    facts = {**visit_facts(visit, event), **facts}
    facts["next"] = _template(next_step(event)).render(facts)
    return facts


@cache
def _template(source: str) -> Template:
    return Environment(undefined=StrictUndefined, keep_trailing_newline=True).from_string(source)


def _facts(case: Case, visit: Visit | None, params: dict[str, Any]) -> dict[str, Any]:
    timezone = case.site.timezone if case.site else "UTC"
    return {
        **params,
        "customer": case.customer.name,
        "case": {"number": case.number, "title": case.title, "status": case.status},
        "when": _when(visit, timezone) if visit else None,
        "window": _window(visit, timezone) if visit else None,
        "technician": visit.technician.name if visit and visit.technician else None,
        "eta": f"{visit.eta_at.astimezone(ZoneInfo(timezone)):%H:%M}"
        if visit and visit.eta_at
        else None,
        "portal_url": issue_portal_link(case).url,
    }


def _when(visit: Visit, timezone: str) -> str:
    """The booked arrival if there is one, else the window, in the site's own time zone."""
    zone = ZoneInfo(timezone)
    if visit.start_at is not None:
        start = visit.start_at.astimezone(zone)
        return f"{_day(start)} at {start:%H:%M} ({timezone})"
    return _window(visit, timezone)


def _window(visit: Visit, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    start, end = visit.window_start.astimezone(zone), visit.window_end.astimezone(zone)
    return f"{_day(start)} between {start:%H:%M} and {end:%H:%M} ({timezone})"


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _payload(notification: Notification, case: Case, visit: Visit | None) -> dict[str, Any]:
    """The Standard Webhooks envelope: type, timestamp and the current state as data."""
    data: dict[str, Any] = {
        "case": {"number": case.number, "title": case.title, "status": case.status},
        "visit": None,
        **(notification.params or {}),
    }
    if visit is not None:
        data["visit"] = {
            "id": visit.id,
            "status": visit.status,
            "window_start": visit.window_start.isoformat(),
            "window_end": visit.window_end.isoformat(),
            "start_at": visit.start_at.isoformat() if visit.start_at else None,
            "technician": visit.technician.name if visit.technician else None,
        }
    return {"type": notification.event, "timestamp": utcnow().isoformat(), "data": data}
