"""The .ics attached to a confirmation: the booked time (or the window) of the customer's visit.

One UID per visit and its row version as SEQUENCE, so a calendar replaces the earlier entry when
a moved visit's new confirmation arrives.
"""

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from app.cases.models import Case
from app.db import utcnow
from app.visits.models import Visit


def visit_calendar(visit: Visit, case: Case, *, kind: str, domain: str) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//FirstFix//Customer visit//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"visit-{visit.id}@{domain}")
    entry.add("dtstamp", utcnow())
    entry.add("sequence", visit.version)
    entry.add("dtstart", visit.start_at or visit.window_start)
    entry.add("dtend", visit.end_at or visit.window_end)
    entry.add("summary", f"FirstFix {kind} (case {case.number})")
    entry.add("description", f"{case.title}\nCase {case.number}")
    if case.site is not None:
        entry.add("location", case.site.address)
    calendar.add_component(entry)
    return calendar.to_ical().decode()
