"""Which field event may follow which visit status; the server decides, not the phone."""

from app.visits.models import VisitStatus

S = VisitStatus

# Event type -> statuses it may be reported from. The event's type is also the new status.
FROM: dict[VisitStatus, frozenset[VisitStatus]] = {
    S.EN_ROUTE: frozenset({S.SCHEDULED}),
    S.ON_SITE: frozenset({S.SCHEDULED, S.EN_ROUTE}),
    S.COMPLETED: frozenset({S.ON_SITE}),
    S.INCOMPLETE: frozenset({S.ON_SITE}),
    S.NO_ACCESS: frozenset({S.EN_ROUTE, S.ON_SITE}),
    S.CANCELLED: frozenset({S.UNASSIGNED, S.SCHEDULED, S.EN_ROUTE}),
}
ASSIGNABLE = frozenset({S.UNASSIGNED, S.SCHEDULED})
FINISHED = frozenset({S.COMPLETED, S.INCOMPLETE, S.NO_ACCESS, S.CANCELLED})


def can_report(current: str, event: str) -> bool:
    return VisitStatus(current) in FROM[VisitStatus(event)]


def allowed_events(current: str) -> list[str]:
    return sorted(event for event, sources in FROM.items() if VisitStatus(current) in sources)
