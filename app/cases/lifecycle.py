"""Which case status may follow which: open → scheduled → in_progress → resolved → closed."""

from app.cases.models import CaseStatus

ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.SCHEDULED, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED}),
    CaseStatus.SCHEDULED: frozenset({CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.SCHEDULED, CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.CLOSED, CaseStatus.OPEN}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}


def can_move(current: str, target: str) -> bool:
    return CaseStatus(target) in ALLOWED[CaseStatus(current)]


def next_statuses(current: str) -> list[str]:
    return sorted(ALLOWED[CaseStatus(current)])
