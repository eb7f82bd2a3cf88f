"""Machine-readable reasons why a visit is not in the plan."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    """The reason codes this package produces or expects from its callers."""

    NO_ELIGIBLE_TECHNICIAN = "no_eligible_technician"
    WINDOW_UNREACHABLE = "window_unreachable"
    NO_CAPACITY = "no_capacity"
    PREREQUISITE_PENDING = "prerequisite_pending"
    PARTS_NOT_READY = "parts_not_ready"


@dataclass(frozen=True, slots=True)
class Reason:
    """
    Why a visit is unassigned.

    Parameters
    ----------
    code
        Stable machine-readable code; the ones this package knows are in :class:`Code`, callers
        may pass their own (the app adds skills reasons).
    detail
        One sentence for a dispatcher.
    """

    code: str
    detail: str

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("reason code is empty")
