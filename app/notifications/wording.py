"""What each message says, in the customer's words: the visit's kind, the change, what comes next.

Templates are rendered from the record at send time (see render.py); `visit_facts` reads it.
"""

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Event
from app.parts.models import Part
from app.portal.wording import PREPARE, VISIT_KIND
from app.visits.models import EventType, Visit, VisitEvent

_CASE = " for case {{ case.number }} ({{ case.title }})"
_TECHNICIAN = "{% if technician %} {{ technician }} will come.{% endif %}"
_NEXT = "\n\nWhat happens next: {{ next }}\n"
_PORTAL = "\nSee, confirm or change your appointment: {{ portal_url }}\n"
_SMS_LINK = " {{ portal_url }}"

# event -> (e-mail subject, e-mail text, SMS text)
WORDING: dict[str, tuple[str, str, str]] = {
    Event.CASE_OPENED: (
        "Your case {{ case.number }}: {{ case.title }}",
        "Hello {{ customer }},\n\nwe have opened case {{ case.number }} for you: {{ case.title }}."
        "\nQuote this number whenever you contact us.\n",
        "FirstFix: case {{ case.number }} opened ({{ case.title }}). Quote it when you contact us.",
    ),
    Event.VISIT_SCHEDULED: (
        "Your {{ kind }} is booked: {{ when }}",
        "{{ customer }}, your {{ kind }}"
        + _CASE
        + " is booked for {{ when }}."
        + _TECHNICIAN
        + _NEXT
        + _PORTAL,
        "FirstFix: your {{ kind }} is booked for {{ when }}, case {{ case.number }}." + _SMS_LINK,
    ),
    Event.VISIT_MOVED: (
        "Your {{ kind }} has moved: {{ when }}",
        "{{ customer }}, your {{ kind }}"
        + _CASE
        + " has moved to {{ when }}."
        + _TECHNICIAN
        + _NEXT
        + _PORTAL,
        "FirstFix: your {{ kind }} has moved to {{ when }}, case {{ case.number }}." + _SMS_LINK,
    ),
    Event.VISIT_REASSIGNED: (
        "New technician for your {{ kind }}: {{ when }}",
        "{{ customer }}, your {{ kind }}" + _CASE + " on {{ when }} will now be done by "
        "{{ technician }}." + _NEXT + _PORTAL,
        "FirstFix: {{ technician }} will now do your {{ kind }} on {{ when }}.",
    ),
    Event.VISIT_WINDOW_CHANGED: (
        "New time window for your {{ kind }}: {{ window }}",
        "{{ customer }}, your {{ kind }}" + _CASE + " now has the window {{ window }}."
        "{% if when != window %} Your booking stays: {{ when }}.{% endif %}"
        + _TECHNICIAN
        + _NEXT
        + _PORTAL,
        "FirstFix: your {{ kind }} now has the window {{ window }}, case {{ case.number }}."
        + _SMS_LINK,
    ),
    Event.VISIT_UNBOOKED: (
        "Your {{ kind }} is no longer booked",
        "{{ customer }}, your {{ kind }}" + _CASE + " is no longer booked"
        "{% if reason %} ({{ reason }}){% endif %}. It stays in the window {{ window }}."
        + _NEXT
        + _PORTAL,
        "FirstFix: your {{ kind }} (case {{ case.number }}) is no longer booked; we will send "
        "the new time." + _SMS_LINK,
    ),
    Event.VISIT_CANCELLED: (
        "Your {{ kind }} is cancelled",
        "{{ customer }}, your {{ kind }}" + _CASE + " on {{ when }} is cancelled." + _NEXT,
        "FirstFix: your {{ kind }} on {{ when }} is cancelled, case {{ case.number }}.",
    ),
    Event.VISIT_PREREQUISITE_NEEDED: (
        "Before your {{ kind }}: a {{ prerequisites }} first",
        "{{ customer }}, your {{ kind }}" + _CASE + " needs a {{ prerequisites }} first."
        " We have planned the {{ kind }} for {{ when }}." + _NEXT + _PORTAL,
        "FirstFix: before your {{ kind }} (case {{ case.number }}) we need a {{ prerequisites }}."
        " We will send its time." + _SMS_LINK,
    ),
    Event.VISIT_EN_ROUTE: (
        "Your technician is on the way",
        "{{ customer }}, {{ technician }} is on the way to you for your {{ kind }}, case "
        "{{ case.number }}.{% if eta %} Expected at {{ eta }}.{% endif %}\n",
        "FirstFix: {{ technician }} is on the way for your {{ kind }} (case {{ case.number }})."
        "{% if eta %} ETA {{ eta }}.{% endif %}",
    ),
    Event.VISIT_NO_ACCESS: (
        "We could not get in for your {{ kind }}",
        "{{ customer }}, we came for your {{ kind }}" + _CASE + " but could not get in"
        "{% if reason %} ({{ reason }}){% endif %}." + _NEXT + _PORTAL,
        "FirstFix: we could not get in for your {{ kind }} (case {{ case.number }}). We will "
        "send a new time." + _SMS_LINK,
    ),
    Event.VISIT_COMPLETED: (
        "Your {{ kind }} is done",
        "{{ customer }}, {{ technician or 'our technician' }} finished your {{ kind }}"
        + _CASE
        + ".{% if work_done %}\n\nWhat was done: {{ work_done }}{% endif %}"
        "{% if parts %}\nParts fitted: {{ parts }}{% endif %}" + _NEXT,
        "FirstFix: your {{ kind }} is done (case {{ case.number }})."
        "{% if parts %} Parts fitted: {{ parts }}.{% endif %}",
    ),
}

_REBOOK = "we book a new time and tell you at once; you can also choose one yourself."
NEXT: dict[str, str] = {
    Event.VISIT_UNBOOKED: _REBOOK,
    Event.VISIT_NO_ACCESS: _REBOOK,
    Event.VISIT_CANCELLED: "nothing more is planned; contact us quoting the case number if "
    "you still need us.",
    Event.VISIT_PREREQUISITE_NEEDED: "we book the {{ prerequisites }} and tell you its time at "
    "once; the {{ kind }} follows it.",
    Event.VISIT_COMPLETED: "nothing, unless something is not right: reply to this message "
    "quoting the case number.",
}


def next_step(event: str) -> str:
    """A template itself: it may name the kind and the prerequisites."""
    return NEXT.get(event, "{{ prepare }}")


def visit_facts(visit: Visit, event: str) -> dict[str, Any]:
    """The visit's kind, its prerequisites, how to prepare and, once finished, the work done."""
    kind = VISIT_KIND.get(visit.kind, visit.kind.replace("_", " "))
    prerequisites = " and ".join(VISIT_KIND.get(v.kind, v.kind) for v in visit.prerequisites)
    facts: dict[str, Any] = {
        "kind": kind,
        "prerequisites": prerequisites or None,
        "reason": visit.return_reason,
        "prepare": " ".join(PREPARE.get(visit.kind, ())),
    }
    if event == Event.VISIT_COMPLETED:
        facts.update(_work_done(visit))
    return facts


def _work_done(visit: Visit) -> dict[str, Any]:
    report = db.session.scalar(
        select(VisitEvent)
        .where(VisitEvent.visit_id == visit.id, VisitEvent.type == EventType.COMPLETED)
        .order_by(VisitEvent.at.desc(), VisitEvent.id.desc())
    )
    used = (report.parts_used if report else None) or {}
    names = dict(db.session.execute(select(Part.sku, Part.name).where(Part.sku.in_(used))).all())
    parts = ", ".join(f"{quantity} x {names.get(sku, sku)}" for sku, quantity in used.items())
    return {"work_done": report.note if report else None, "parts": parts or None}
