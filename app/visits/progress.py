"""The case status follows its visits: scheduled when booked, in progress on site, and so on."""

from sqlalchemy import select

from app.cases import lifecycle as case_lifecycle
from app.cases.models import Case, CaseStatus
from app.cases.service import change_status
from app.catalog.models import VisitKind
from app.extensions import db
from app.visits.models import Visit, VisitStatus

WORKING = (VisitStatus.EN_ROUTE, VisitStatus.ON_SITE)
FIXING = (VisitKind.REPAIR, VisitKind.INSTALLATION, VisitKind.MAINTENANCE, VisitKind.FOLLOW_UP)


def follow_case(case: Case) -> None:
    """Move the case where its visits put it; a move the case lifecycle forbids is skipped."""
    db.session.flush()
    visits = list(db.session.scalars(select(Visit).where(Visit.case_id == case.id)))
    target = _target(visits)
    if target and target != case.status and case_lifecycle.can_move(case.status, target):
        change_status(case, target)


def _target(visits: list[Visit]) -> CaseStatus | None:
    statuses = {visit.status for visit in visits}
    if statuses & set(WORKING):
        return CaseStatus.IN_PROGRESS
    if VisitStatus.SCHEDULED in statuses:
        return CaseStatus.SCHEDULED
    if VisitStatus.UNASSIGNED in statuses:
        return CaseStatus.OPEN
    fixed = any(v.status == VisitStatus.COMPLETED and v.kind in FIXING for v in visits)
    return CaseStatus.RESOLVED if fixed else None
