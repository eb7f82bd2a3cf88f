"""The one eligibility rule set, shared by the assignment guard, candidates and the solver input."""

from collections.abc import Iterable, Iterator

from skills.model import Interval, Qualification, Requirement
from skills.reasons import Reason, ReasonCode


def check(requirement: Requirement, qualification: Qualification) -> list[Reason]:
    """List why a technician may not do a visit; empty means eligible.

    Parameters
    ----------
    requirement
        What the visit needs; its ``slot`` decides whether time is checked at all.
    qualification
        What the technician brings that day.

    Returns
    -------
    list[Reason]
        One reason per failing item, in a fixed order (exclusion, prerequisites, skills,
        certifications, equipment, parts, shifts and time off, bookings; items sorted within
        each), so responses and tests are stable.
    """
    return [
        *_exclusion(requirement, qualification),
        *_prerequisites(requirement),
        *_skills(requirement, qualification),
        *_certifications(requirement, qualification),
        *_equipment(requirement, qualification),
        *_parts(requirement, qualification),
        *_shifts(requirement.slot, qualification),
        *_bookings(requirement, qualification),
    ]


def explain(
    requirement: Requirement, qualifications: Iterable[Qualification]
) -> dict[int, list[Reason]]:
    """Reasons per technician id, in the order given, for candidate lists that show why not.

    Raises
    ------
    ValueError
        If a technician appears twice, since one of the two answers would be silently lost.
    """
    result: dict[int, list[Reason]] = {}
    for qualification in qualifications:
        if qualification.technician_id in result:
            raise ValueError(f"technician {qualification.technician_id} given twice")
        result[qualification.technician_id] = check(requirement, qualification)
    return result


def eligible_ids(
    requirement: Requirement, qualifications: Iterable[Qualification]
) -> frozenset[int]:
    """Technician ids with no reason against them: the solver's allowed set for a visit."""
    return frozenset(
        technician_id
        for technician_id, reasons in explain(requirement, qualifications).items()
        if not reasons
    )


def _exclusion(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    if qualification.technician_id in requirement.excluded_technicians:
        yield Reason(
            ReasonCode.EXCLUDED_BY_CUSTOMER, "the customer asked not to send this technician"
        )


def _prerequisites(requirement: Requirement) -> Iterator[Reason]:
    for visit_id in sorted(requirement.pending_prerequisites):
        yield Reason(ReasonCode.PREREQUISITE_PENDING, f"visit {visit_id} must be completed first")


def _skills(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    for code, needed in sorted(requirement.skills.items()):
        level = qualification.skills.get(code)
        if level is None:
            yield Reason(ReasonCode.MISSING_SKILL, f"needs {code} level {needed}; has none")
        elif level < needed:
            yield Reason(ReasonCode.SKILL_LEVEL, f"needs {code} level {needed}; has level {level}")


def _certifications(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    # A missing certificate shares the code: for the dispatcher both mean "not valid that day".
    for code in sorted(requirement.certifications):
        valid_until = qualification.certifications.get(code)
        if valid_until is None:
            yield Reason(ReasonCode.CERTIFICATION_EXPIRED, f"needs certification {code}; has none")
        elif valid_until < requirement.day:
            yield Reason(
                ReasonCode.CERTIFICATION_EXPIRED,
                f"needs certification {code} on {requirement.day}; expired after {valid_until}",
            )


def _equipment(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    for code in sorted(requirement.equipment - qualification.equipment):
        yield Reason(ReasonCode.MISSING_EQUIPMENT, f"needs equipment {code}")


def _parts(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    short = {
        sku: (quantity, qualification.van_stock.get(sku, 0))
        for sku, quantity in sorted(requirement.parts.items())
        if qualification.van_stock.get(sku, 0) < quantity
    }
    if not short:
        return
    ready_at, slot = requirement.parts_ready_at, requirement.slot
    if ready_at is None:
        for sku, (quantity, on_van) in short.items():
            yield Reason(
                ReasonCode.MISSING_PARTS, f"needs part {sku} \u00d7{quantity}; van has {on_van}"
            )
    # Without a slot the caller (the solver) enforces parts_ready_at as the visit's earliest start.
    elif slot is not None and slot.start < ready_at:
        yield Reason(
            ReasonCode.MISSING_PARTS,
            f"parts ready at {ready_at:%Y-%m-%d %H:%M}; slot starts {slot.start:%Y-%m-%d %H:%M}",
        )


def _shifts(slot: Interval | None, qualification: Qualification) -> Iterator[Reason]:
    if slot is None:
        return
    shifts = sorted(qualification.shifts)
    if not any(shift.contains(slot) for shift in shifts):
        worked = ", ".join(str(shift) for shift in shifts) or "none that day"
        yield Reason(ReasonCode.OFF_SHIFT, f"no shift covers {slot}; shifts {worked}")
    for off in sorted(qualification.time_off):
        if off.overlaps(slot):
            yield Reason(ReasonCode.OFF_SHIFT, f"time off {off}")


def _bookings(requirement: Requirement, qualification: Qualification) -> Iterator[Reason]:
    slot = requirement.slot
    if slot is None:
        return
    clashes = sorted(
        (booked, visit_id)
        for visit_id, booked in qualification.bookings.items()
        if visit_id != requirement.visit_id and booked.overlaps(slot)
    )
    for booked, visit_id in clashes:
        yield Reason(ReasonCode.OVERLAP, f"booked {booked} on visit {visit_id}")
