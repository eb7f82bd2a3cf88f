"""Who may do which visit, and why not: pure rules shared by the API and the solver."""

from skills.check import check, eligible_ids, explain
from skills.model import Interval, Qualification, Requirement
from skills.reasons import Reason, ReasonCode

__all__ = [
    "Interval",
    "Qualification",
    "Reason",
    "ReasonCode",
    "Requirement",
    "check",
    "eligible_ids",
    "explain",
]
