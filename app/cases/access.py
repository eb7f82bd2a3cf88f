"""Which cases a caller may see: staff all of them, a technician those of their own visits.

A case a technician may not see is reported exactly like one that does not exist, so case
numbers cannot be probed from a phone.
"""

from sqlalchemy import exists, select

from app.auth.models import Role
from app.auth.principal import Principal
from app.cases.models import Case
from app.cases.service import get_case
from app.errors import NotFound
from app.extensions import db
from app.technicians.models import Technician
from app.visits.models import Visit, VisitStatus


def visible_case(number: str, *, viewer: Principal) -> Case:
    case = get_case(number)
    if not may_see_case(case.id, viewer):
        raise NotFound(f"No case numbered '{number}'. Case numbers look like FF-4K7P-2QXM.")
    return case


def may_see_case(case_id: int, viewer: Principal) -> bool:
    if viewer.role != Role.TECHNICIAN:
        return True
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(Visit.case_id == case_id, Visit.status != VisitStatus.CANCELLED)
                .where(Visit.technician_id == Technician.id, Technician.email == viewer.email)
            )
        )
    )
