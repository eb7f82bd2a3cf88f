"""The repeat-assessment guard: a diagnosed case needs its repair, not another look."""

from typing import Any

from app.auth.models import Role, User
from app.auth.principal import Principal
from app.cases.models import Case
from app.catalog.models import VisitKind
from app.errors import Conflict, Forbidden
from app.extensions import db
from app.insights.models import GuardRule
from app.insights.refusals import keep_refusal
from app.visits.models import Diagnosis


class RepeatAssessment(Conflict):
    slug = "repeat-assessment"


def refuse_repeat_assessment(
    case: Case,
    *,
    kind: VisitKind,
    diagnosis: Diagnosis | None,
    actor: Principal,
    override_reason: str | None,
) -> bool:
    """True when a dispatcher overrode the guard (the visit is then flagged for review)."""
    if kind != VisitKind.ASSESSMENT or diagnosis is None:
        return False
    if override_reason and actor.is_one_of(Role.DISPATCHER):
        return True
    if override_reason:
        raise Forbidden("Only a dispatcher may override the repeat-assessment guard.")
    summary = diagnosis_summary(diagnosis)
    reasons = [{"code": "repeat_assessment", "diagnosis_id": diagnosis.id}]
    raise RepeatAssessment(
        f"Case {case.number} was already diagnosed on {summary['at']:%Y-%m-%d %H:%M} UTC by "
        f"{summary['by'] or 'an unknown user'}: {diagnosis.findings!r}, needing "
        f"{_needs(summary)}. Book the repair instead (type 'repair' inherits it); "
        "a dispatcher may override with override_reason.",
        reasons=reasons,
        after_rollback=[
            keep_refusal(GuardRule.REPEAT_ASSESSMENT, actor=actor, case_id=case.id, reasons=reasons)
        ],
        diagnosis={**summary, "at": summary["at"].isoformat()},
        suggestion={"type": VisitKind.REPAIR.value, "path": f"/api/v1/cases/{case.number}/visits"},
    )


def diagnosis_summary(diagnosis: Diagnosis) -> dict[str, Any]:
    author = db.session.get(User, diagnosis.created_by_id) if diagnosis.created_by_id else None
    return {
        "id": diagnosis.id,
        "visit_id": diagnosis.visit_id,
        "at": diagnosis.created_at,
        "by": author.email if author else None,
        "findings": diagnosis.findings,
        "estimated_minutes": diagnosis.estimated_minutes,
        "required_skills": [
            {"code": row.skill_code, "level": row.level} for row in diagnosis.required_skills
        ],
        "required_equipment": diagnosis.required_equipment,
        "required_parts": [
            {"sku": row.sku, "quantity": row.quantity} for row in diagnosis.required_parts
        ],
    }


def _needs(summary: dict[str, Any]) -> str:
    items = [f"{row['code']} level {row['level']}" for row in summary["required_skills"]]
    items += summary["required_equipment"]
    items += [f"{row['quantity']} x {row['sku']}" for row in summary["required_parts"]]
    return ", ".join(items) or "nothing in particular"
