"""The plain words a customer reads for statuses, visit types, parts and timeline entries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from app.cases.models import CaseStatus, Channel
from app.catalog.models import VisitKind
from app.parts.models import ReservationStatus
from app.visits.models import EventType, VisitStatus

CASE_STATUS = {
    CaseStatus.OPEN: "we are working on it",
    CaseStatus.SCHEDULED: "a visit is booked",
    CaseStatus.IN_PROGRESS: "a technician is working on it",
    CaseStatus.RESOLVED: "fixed",
    CaseStatus.CLOSED: "closed",
}

VISIT_KIND = {
    VisitKind.ASSESSMENT: "first look",
    VisitKind.REPAIR: "repair",
    VisitKind.INSTALLATION: "installation",
    VisitKind.SITE_SURVEY: "site survey",
    VisitKind.MAINTENANCE: "maintenance",
    VisitKind.FOLLOW_UP: "follow-up visit",
}

VISIT_STATUS = {
    VisitStatus.UNASSIGNED: "we are finding a technician",
    VisitStatus.SCHEDULED: "booked",
    VisitStatus.EN_ROUTE: "on the way",
    VisitStatus.ON_SITE: "technician on site",
    VisitStatus.COMPLETED: "done",
    VisitStatus.INCOMPLETE: "not finished; we will come back",
    VisitStatus.NO_ACCESS: "we could not get in",
    VisitStatus.CANCELLED: "cancelled",
}

_SOMEONE_HOME = "Someone aged 18 or over needs to be home for the whole window."
PREPARE: dict[str, tuple[str, ...]] = {
    VisitKind.ASSESSMENT: (_SOMEONE_HOME, "Have the appliance's model and serial number ready."),
    VisitKind.REPAIR: (_SOMEONE_HOME, "Clear about a metre around the appliance."),
    VisitKind.INSTALLATION: (
        _SOMEONE_HOME,
        "Clear the space where it goes and the path to it from the door.",
        "Water, power and gas need to be reachable; we switch them off while we work.",
    ),
    VisitKind.SITE_SURVEY: (
        _SOMEONE_HOME,
        "We measure the space and check power, water and gas; show us where it should go.",
    ),
    VisitKind.MAINTENANCE: (_SOMEONE_HOME, "Clear about a metre around the appliance."),
    VisitKind.FOLLOW_UP: (_SOMEONE_HOME,),
}

GENERIC_TRADE = "service technician"

_EVENTS = {
    EventType.ASSIGNED: "{kind}: technician booked",
    EventType.UNASSIGNED: "{kind}: technician changed; we are rebooking",
    EventType.EN_ROUTE: "{kind}: technician on the way",
    EventType.ON_SITE: "{kind}: technician arrived",
    EventType.COMPLETED: "{kind}: done",
    EventType.INCOMPLETE: "{kind}: not finished; we will come back",
    EventType.NO_ACCESS: "{kind}: we could not get in",
    EventType.CANCELLED: "{kind}: cancelled",
}

_CHANNELS = {
    Channel.PHONE: "phone call",
    Channel.CHAT: "chat",
    Channel.EMAIL: "e-mail",
    Channel.IVR: "phone call",
    Channel.SMS: "text message",
    Channel.SOCIAL: "social media message",
    Channel.KIOSK: "visit to our desk",
}


def window(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """'Tue 3 Jun, 08:00-12:00' (with an en dash), in the site's time zone where the customer is."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    day = f"{local_start:%a} {local_start.day} {local_start:%b}"
    if local_start.date() != local_end.date():
        return f"{day} {local_start:%H:%M} \u2013 {local_end:%a} {local_end:%H:%M}"
    return f"{day}, {local_start:%H:%M}\u2013{local_end:%H:%M}"


def moment(value: datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def needs_first(kind: str, start: datetime, zone: ZoneInfo) -> str:
    local = start.astimezone(zone)
    return f"The {kind} ({local:%a} {local.day} {local:%b}) has to happen first."


def part_status(status: str, ready_at: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    """'part ordered, arrives Tue' while it is on its way to us; else where it stands."""
    if status == ReservationStatus.CONSUMED:
        return "part fitted"
    if ready_at is None or ready_at <= now:
        return "part in stock"
    local = ready_at.astimezone(zone)
    when = (
        f"{local:%a}"
        if ready_at - now < timedelta(days=6)
        else f"{local:%a} {local.day} {local:%b}"
    )
    return f"part ordered, arrives {when}"


def event(kind: EventType, visit_kind: str) -> str:
    return _EVENTS[kind].format(kind=visit_kind.capitalize())


def contact(channel: str, inbound: bool) -> str:
    said = _CHANNELS.get(Channel(channel), "message")
    return f"Your {said} to us" if inbound else f"Our {said} to you"
