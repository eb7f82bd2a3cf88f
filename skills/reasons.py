"""Why a technician may not take a visit: a code for machines, a sentence for people."""

from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    """Codes that API clients and the solver's unassigned reasons match on, so never rename one."""

    EXCLUDED_BY_CUSTOMER = "excluded_by_customer"
    PREREQUISITE_PENDING = "prerequisite_pending"
    MISSING_SKILL = "missing_skill"
    SKILL_LEVEL = "skill_level"
    CERTIFICATION_EXPIRED = "certification_expired"
    MISSING_EQUIPMENT = "missing_equipment"
    MISSING_PARTS = "missing_parts"
    OFF_SHIFT = "off_shift"
    OVERLAP = "overlap"


@dataclass(frozen=True, slots=True)
class Reason:
    """One failing rule for one item (a skill, a part, a booking...), so a UI can list them all."""

    code: ReasonCode
    detail: str
