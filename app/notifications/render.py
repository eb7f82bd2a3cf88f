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

from jinja2 import Environment, StrictUndefined, Template

from app.cases.models import Case
from app.db import utcnow
from app.extensions import db
from app.notifications.models import DeliveryChannel, Event, Notification
from app.portal.tokens import issue_portal_link
from app.visits.models import Visit, VisitStatus

# A visit message is only true while the visit is in one of these statuses.
STILL_TRUE: dict[str, tuple[VisitStatus, ...]] = {
    Event.VISIT_SCHEDULED: (VisitStatus.SCHEDULED,),
    Event.VISIT_MOVED: (VisitStatus.SCHEDULED,),
    Event.VISIT_REASSIGNED: (VisitStatus.SCHEDULED,),
    Event.VISIT_CANCELLED: (VisitStatus.CANCELLED,),
    Event.VISIT_EN_ROUTE: (VisitStatus.EN_ROUTE,),
}

_VISIT = "{{ customer }}, your visit for case {{ case.number }} ({{ case.title }})"
_TECHNICIAN = "{% if technician %} {{ technician }} will come.{% endif %}"
_PORTAL = "\nSee, confirm or change your appointment: {{ portal_url }}\n"

# event -> (e-mail subject, e-mail text, SMS text)
WORDING: dict[str, tuple[str, str, str]] = {
    Event.CASE_OPENED: (
        "Your case {{ case.number }}: {{ case.title }}",
        "Hello {{ customer }},\n\nwe have opened case {{ case.number }} for you: {{ case.title }}."
        "\nQuote this number whenever you contact us.\n",
        "FirstFix: case {{ case.number }} opened ({{ case.title }}). Quote it when you contact us.",
    ),
    Event.VISIT_SCHEDULED: (
        "Your visit: {{ when }}",
        _VISIT + " is booked for {{ when }}." + _TECHNICIAN + "\n" + _PORTAL,
        "FirstFix: visit booked for {{ when }}, case {{ case.number }}. {{ portal_url }}",
    ),
    Event.VISIT_MOVED: (
        "Your visit has moved: {{ when }}",
        _VISIT + " has moved to {{ when }}." + _TECHNICIAN + "\n" + _PORTAL,
        "FirstFix: your visit has moved to {{ when }}, case {{ case.number }}. {{ portal_url }}",
    ),
    Event.VISIT_REASSIGNED: (
        "New technician for your visit: {{ when }}",
        _VISIT + " on {{ when }} will now be done by {{ technician }}.\n" + _PORTAL,
        "FirstFix: {{ technician }} will now do your visit on {{ when }}.",
    ),
    Event.VISIT_CANCELLED: (
        "Your visit is cancelled",
        _VISIT + " on {{ when }} is cancelled. We will contact you about a new date.\n",
        "FirstFix: your visit on {{ when }} is cancelled, case {{ case.number }}.",
    ),
    Event.VISIT_EN_ROUTE: (
        "Your technician is on the way",
        "{{ customer }}, {{ technician }} is on the way to you for case {{ case.number }}."
        "{% if eta %} Expected at {{ eta }}.{% endif %}\n",
        "FirstFix: {{ technician }} is on the way (case {{ case.number }})."
        "{% if eta %} ETA {{ eta }}.{% endif %}",
    ),
}


CUSTOMER_LINK = "[customer link]"


class Stale(Exception):
    """The record moved on so that this message would now be wrong; it is not sent."""


@dataclass(frozen=True)
class Rendered:
    """`subject` and `body` as sent; `kept` is the body the case keeps, `headline` its one line.

    The timeline shows the headline (the e-mail subject, whatever the channel), never a body.
    """

    subject: str | None
    body: str
    kept: str
    headline: str


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
    subject, text, sms = (_template(part) for part in WORDING[notification.event])
    headline = subject.render(kept_facts)
    body = sms if notification.channel == DeliveryChannel.SMS else text
    return Rendered(
        None if body is sms else headline, body.render(facts), body.render(kept_facts), headline
    )


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
