"""Why a visit is left out: decided before the search when possible, so the search skips it."""

from __future__ import annotations

from dispatch.problem import Problem, Technician, Visit
from dispatch.reasons import Code, Reason
from dispatch.schedule import route
from dispatch.travel import TravelTable

FULL = Reason(
    Code.NO_CAPACITY,
    "The eligible technicians' days are full with visits of equal or higher priority.",
)


def excluded(problem: Problem, table: TravelTable) -> dict[int, tuple[Reason, ...]]:
    """
    Visits no plan can contain, by index in ``problem.visits``, with their reasons.

    A visit is excluded when the caller blocked it, nobody is eligible, or no eligible technician
    could do it even with an otherwise empty day.
    """
    technicians = {t.id: t for t in problem.technicians}
    reasons: dict[int, tuple[Reason, ...]] = {}
    for i, visit in enumerate(problem.visits):
        if visit.blocked_by:
            reasons[i] = visit.blocked_by
        elif not visit.eligible:
            reasons[i] = (
                Reason(Code.NO_ELIGIBLE_TECHNICIAN, "No technician is eligible for this visit."),
            )
        else:
            candidates = [technicians[t] for t in sorted(candidate_ids(visit))]
            reason = _alone_reason(visit, candidates, table)
            if reason is not None:
                reasons[i] = (reason,)
    return reasons


def candidate_ids(visit: Visit) -> frozenset[str]:
    """The technicians the search may give the visit to: the pinned one, or every eligible."""
    return frozenset({visit.pin.technician}) if visit.pin is not None else visit.eligible


def _alone_reason(visit: Visit, candidates: list[Technician], table: TravelTable) -> Reason | None:
    if all(t.capacity is not None and visit.demand > t.capacity for t in candidates):
        return Reason(Code.NO_CAPACITY, "The demand exceeds the capacity of every eligible van.")
    if not any(route(t, [visit], table) is not None for t in candidates):
        return Reason(
            Code.WINDOW_UNREACHABLE,
            "No eligible technician can reach the visit inside its window and be back within "
            "their shift.",
        )
    return None
