"""Each reason code: when it fires, when it does not, and the words a dispatcher reads."""

from datetime import UTC, date, datetime

import pytest

from skills import Interval, Reason, ReasonCode, check, eligible_ids, explain


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, 4, hour, minute, tzinfo=UTC)


def span(start: tuple[int, int], end: tuple[int, int]) -> Interval:
    return Interval(at(*start), at(*end))


MORNING = span((9, 0), (10, 30))


def test_reason_codes_are_the_stable_strings_clients_match_on():
    assert [code.value for code in ReasonCode] == [
        "excluded_by_customer",
        "prerequisite_pending",
        "missing_skill",
        "skill_level",
        "certification_expired",
        "missing_equipment",
        "missing_parts",
        "off_shift",
        "overlap",
    ]


def test_technician_meeting_every_rule_is_eligible(make_requirement, make_qualification):
    requirement = make_requirement(
        skills={"hvac.install": 2},
        certifications={"fgas"},
        equipment={"vacuum-pump"},
        parts={"FLT-34-34": 2},
        slot=MORNING,
    )
    qualification = make_qualification(
        skills={"hvac.install": 3},
        certifications={"fgas": date(2025, 3, 4)},
        equipment={"vacuum-pump", "ladder"},
        van_stock={"FLT-34-34": 2},
        bookings={17: span((10, 30), (12, 0))},
    )

    assert check(requirement, qualification) == []


def test_missing_skill_names_the_skill_and_level(make_requirement, make_qualification):
    reasons = check(make_requirement(skills={"hvac.install": 2}), make_qualification())

    assert reasons == [Reason(ReasonCode.MISSING_SKILL, "needs hvac.install level 2; has none")]


def test_too_low_skill_level_says_which_level_is_held(make_requirement, make_qualification):
    reasons = check(
        make_requirement(skills={"hvac.install": 2}),
        make_qualification(skills={"hvac.install": 1}),
    )

    assert reasons == [Reason(ReasonCode.SKILL_LEVEL, "needs hvac.install level 2; has level 1")]


def test_each_failing_skill_gets_its_own_reason_sorted_by_code(
    make_requirement, make_qualification
):
    reasons = check(
        make_requirement(skills={"plumb": 1, "elec": 3, "hvac": 1}),
        make_qualification(skills={"elec": 2, "hvac": 1}),
    )

    assert reasons == [
        Reason(ReasonCode.SKILL_LEVEL, "needs elec level 3; has level 2"),
        Reason(ReasonCode.MISSING_SKILL, "needs plumb level 1; has none"),
    ]


def test_certification_valid_through_the_visit_day_is_accepted(
    make_requirement, make_qualification
):
    reasons = check(
        make_requirement(certifications={"fgas"}),
        make_qualification(certifications={"fgas": date(2025, 3, 4)}),
    )

    assert reasons == []


def test_certification_expired_before_the_visit_day_is_rejected(
    make_requirement, make_qualification
):
    reasons = check(
        make_requirement(certifications={"fgas"}),
        make_qualification(certifications={"fgas": date(2025, 3, 3)}),
    )

    assert reasons == [
        Reason(
            ReasonCode.CERTIFICATION_EXPIRED,
            "needs certification fgas on 2025-03-04; expired after 2025-03-03",
        )
    ]


def test_certification_never_held_counts_as_expired(make_requirement, make_qualification):
    reasons = check(make_requirement(certifications={"fgas"}), make_qualification())

    assert reasons == [
        Reason(ReasonCode.CERTIFICATION_EXPIRED, "needs certification fgas; has none")
    ]


def test_missing_equipment_gets_one_reason_per_code(make_requirement, make_qualification):
    reasons = check(
        make_requirement(equipment={"ladder", "vacuum-pump", "crimper"}),
        make_qualification(equipment={"ladder"}),
    )

    assert reasons == [
        Reason(ReasonCode.MISSING_EQUIPMENT, "needs equipment crimper"),
        Reason(ReasonCode.MISSING_EQUIPMENT, "needs equipment vacuum-pump"),
    ]


def test_van_short_of_a_part_says_how_many_it_has(make_requirement, make_qualification):
    reasons = check(
        make_requirement(parts={"FLT-34-34": 2, "CAP-10": 1}),
        make_qualification(van_stock={"FLT-34-34": 1}),
    )

    assert reasons == [
        Reason(ReasonCode.MISSING_PARTS, "needs part CAP-10 \u00d71; van has 0"),
        Reason(ReasonCode.MISSING_PARTS, "needs part FLT-34-34 \u00d72; van has 1"),
    ]


def test_van_stock_covering_the_quantity_satisfies_parts(make_requirement, make_qualification):
    reasons = check(
        make_requirement(parts={"FLT-34-34": 2}),
        make_qualification(van_stock={"FLT-34-34": 5}),
    )

    assert reasons == []


def test_reserved_parts_ready_before_the_slot_cover_an_empty_van(
    make_requirement, make_qualification
):
    requirement = make_requirement(parts={"FLT-34-34": 2}, parts_ready_at=at(8), slot=MORNING)

    assert check(requirement, make_qualification()) == []


def test_reserved_parts_ready_after_the_slot_starts_are_missing(
    make_requirement, make_qualification
):
    requirement = make_requirement(parts={"FLT-34-34": 2}, parts_ready_at=at(9, 30), slot=MORNING)

    assert check(requirement, make_qualification()) == [
        Reason(
            ReasonCode.MISSING_PARTS,
            "parts ready at 2025-03-04 09:30; slot starts 2025-03-04 09:00",
        )
    ]


def test_reserved_parts_without_a_slot_leave_readiness_to_the_caller(
    make_requirement, make_qualification
):
    requirement = make_requirement(parts={"FLT-34-34": 2}, parts_ready_at=at(16))

    assert check(requirement, make_qualification()) == []


def test_van_stock_covering_everything_makes_reservation_readiness_irrelevant(
    make_requirement, make_qualification
):
    requirement = make_requirement(parts={"FLT-34-34": 2}, parts_ready_at=at(16), slot=MORNING)

    assert check(requirement, make_qualification(van_stock={"FLT-34-34": 2})) == []


def test_technician_excluded_by_the_customer_is_rejected(make_requirement, make_qualification):
    reasons = check(make_requirement(excluded_technicians={7, 9}), make_qualification())

    assert reasons == [
        Reason(ReasonCode.EXCLUDED_BY_CUSTOMER, "the customer asked not to send this technician")
    ]


def test_exclusion_of_another_technician_does_not_matter(make_requirement, make_qualification):
    assert check(make_requirement(excluded_technicians={9}), make_qualification()) == []


def test_each_pending_prerequisite_gets_a_reason_in_id_order(make_requirement, make_qualification):
    reasons = check(make_requirement(pending_prerequisites={12, 5}), make_qualification())

    assert reasons == [
        Reason(ReasonCode.PREREQUISITE_PENDING, "visit 5 must be completed first"),
        Reason(ReasonCode.PREREQUISITE_PENDING, "visit 12 must be completed first"),
    ]


def test_slot_outside_every_shift_is_off_shift_and_lists_the_shifts(
    make_requirement, make_qualification
):
    qualification = make_qualification(shifts=(span((13, 0), (17, 0)), span((7, 0), (9, 30))))

    assert check(make_requirement(slot=MORNING), qualification) == [
        Reason(
            ReasonCode.OFF_SHIFT,
            "no shift covers 09:00\u201310:30; shifts 07:00\u201309:30, 13:00\u201317:00",
        )
    ]


def test_slot_on_a_day_without_shifts_is_off_shift(make_requirement, make_qualification):
    reasons = check(make_requirement(slot=MORNING), make_qualification(shifts=()))

    assert reasons == [
        Reason(ReasonCode.OFF_SHIFT, "no shift covers 09:00\u201310:30; shifts none that day")
    ]


def test_slot_spanning_two_adjoining_shifts_is_off_shift(make_requirement, make_qualification):
    qualification = make_qualification(shifts=(span((8, 0), (10, 0)), span((10, 0), (12, 0))))

    assert [r.code for r in check(make_requirement(slot=MORNING), qualification)] == [
        ReasonCode.OFF_SHIFT
    ]


def test_slot_exactly_filling_a_shift_is_on_shift(make_requirement, make_qualification):
    qualification = make_qualification(shifts=(MORNING,))

    assert check(make_requirement(slot=MORNING), qualification) == []


def test_time_off_overlapping_the_slot_is_off_shift(make_requirement, make_qualification):
    qualification = make_qualification(time_off=(span((10, 0), (12, 0)),))

    assert check(make_requirement(slot=MORNING), qualification) == [
        Reason(ReasonCode.OFF_SHIFT, "time off 10:00\u201312:00")
    ]


def test_time_off_ending_when_the_slot_starts_is_fine(make_requirement, make_qualification):
    qualification = make_qualification(time_off=(span((8, 0), (9, 0)),))

    assert check(make_requirement(slot=MORNING), qualification) == []


def test_overlapping_booking_names_its_time_and_visit(make_requirement, make_qualification):
    qualification = make_qualification(bookings={17: MORNING, 18: span((11, 0), (12, 0))})

    assert check(make_requirement(slot=span((10, 0), (11, 30))), qualification) == [
        Reason(ReasonCode.OVERLAP, "booked 09:00\u201310:30 on visit 17"),
        Reason(ReasonCode.OVERLAP, "booked 11:00\u201312:00 on visit 18"),
    ]


def test_back_to_back_booking_is_not_an_overlap(make_requirement, make_qualification):
    qualification = make_qualification(bookings={17: span((10, 30), (11, 0))})

    assert check(make_requirement(slot=MORNING), qualification) == []


def test_reassigning_a_visit_ignores_its_own_booking(make_requirement, make_qualification):
    qualification = make_qualification(bookings={1: span((9, 30), (11, 0))})

    assert check(make_requirement(visit_id=1, slot=MORNING), qualification) == []


def test_without_a_slot_shifts_time_off_and_bookings_are_not_checked(
    make_requirement, make_qualification
):
    qualification = make_qualification(
        shifts=(), time_off=(span((0, 0), (23, 0)),), bookings={17: MORNING}
    )

    assert check(make_requirement(), qualification) == []


def test_reasons_come_in_the_documented_order(make_requirement, make_qualification):
    requirement = make_requirement(
        excluded_technicians={7},
        pending_prerequisites={3},
        skills={"elec": 1, "hvac": 2},
        certifications={"fgas"},
        equipment={"ladder"},
        parts={"FLT": 1},
        slot=MORNING,
    )
    qualification = make_qualification(shifts=(), skills={"hvac": 1}, bookings={17: MORNING})

    assert [reason.code for reason in check(requirement, qualification)] == list(ReasonCode)


def test_explain_gives_reasons_per_technician_in_the_order_given(
    make_requirement, make_qualification
):
    requirement = make_requirement(skills={"hvac": 1})
    qualifications = [
        make_qualification(technician_id=9),
        make_qualification(technician_id=3, skills={"hvac": 2}),
    ]

    explained = explain(requirement, qualifications)

    assert list(explained) == [9, 3]
    assert explained[3] == []
    assert [reason.code for reason in explained[9]] == [ReasonCode.MISSING_SKILL]


def test_eligible_ids_are_the_technicians_without_reasons(make_requirement, make_qualification):
    requirement = make_requirement(skills={"hvac": 2})
    qualifications = [
        make_qualification(technician_id=1, skills={"hvac": 2}),
        make_qualification(technician_id=2, skills={"hvac": 1}),
        make_qualification(technician_id=3, skills={"hvac": 3}),
    ]

    assert eligible_ids(requirement, qualifications) == frozenset({1, 3})


def test_a_technician_given_twice_is_refused(make_requirement, make_qualification):
    with pytest.raises(ValueError, match="technician 7 given twice"):
        eligible_ids(make_requirement(), [make_qualification(), make_qualification()])
