"""Rules that must hold for every input: an independent oracle, monotonicity, determinism."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from skills import Interval, Qualification, Reason, Requirement, check, eligible_ids

DAY = date(2025, 3, 4)
ORIGIN = datetime(2025, 3, 4, 6, tzinfo=UTC)
STEP = timedelta(minutes=30)
SKILLS = ["elec", "gas", "hvac"]
CERTIFICATIONS = ["fgas", "height"]
EQUIPMENT = ["ladder", "pump", "vacuum"]
SKUS = ["A-1", "B-2", "C-3"]
TECHNICIANS = [1, 2, 3]
VISITS = [1, 2, 3, 4, 5]

levels = st.integers(1, 3)
instants = st.integers(0, 30).map(lambda steps: ORIGIN + steps * STEP)
intervals = st.builds(
    lambda start, length: Interval(ORIGIN + start * STEP, ORIGIN + (start + length) * STEP),
    st.integers(0, 24),
    st.integers(1, 12),
)
requirements = st.builds(
    Requirement,
    visit_id=st.sampled_from(VISITS),
    day=st.just(DAY),
    skills=st.dictionaries(st.sampled_from(SKILLS), levels),
    certifications=st.frozensets(st.sampled_from(CERTIFICATIONS)),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    parts=st.dictionaries(st.sampled_from(SKUS), st.integers(1, 3)),
    parts_ready_at=st.none() | instants,
    pending_prerequisites=st.just(frozenset()) | st.frozensets(st.sampled_from(VISITS), max_size=2),
    excluded_technicians=st.just(frozenset())
    | st.frozensets(st.sampled_from(TECHNICIANS), max_size=2),
    slot=st.none() | intervals,
)
qualifications = st.builds(
    Qualification,
    technician_id=st.sampled_from(TECHNICIANS),
    skills=st.dictionaries(st.sampled_from(SKILLS), levels),
    certifications=st.dictionaries(
        st.sampled_from(CERTIFICATIONS),
        st.dates(DAY - timedelta(days=2), DAY + timedelta(days=2)),
    ),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    van_stock=st.dictionaries(st.sampled_from(SKUS), st.integers(0, 3)),
    shifts=st.lists(intervals, max_size=3).map(tuple),
    time_off=st.lists(intervals, max_size=2).map(tuple),
    bookings=st.dictionaries(st.sampled_from(VISITS), intervals, max_size=3),
)


@st.composite
def on_the_edge(draw: st.DrawFn) -> tuple[Requirement, Qualification]:
    """A technician who meets each need exactly or misses it by one step, to catch off-by-ones."""
    requirement = draw(requirements)
    near = st.sampled_from([0, 0, -1])
    skills = {c: n + draw(near) for c, n in requirement.skills.items()}
    shifts: tuple[Interval, ...] = ()
    if requirement.slot is not None:
        start = requirement.slot.start - draw(near) * STEP
        end = requirement.slot.end + draw(near) * STEP
        shifts = (Interval(start, end),) if start < end else ()
        if requirement.parts_ready_at is not None:
            ready_at = requirement.slot.start - draw(near) * STEP
            requirement = replace(requirement, parts_ready_at=ready_at)
    qualification = draw(qualifications)
    return requirement, replace(
        qualification,
        skills={c: n for c, n in skills.items() if n > 0},
        certifications={
            c: DAY + draw(near) * timedelta(days=1) for c in requirement.certifications
        },
        equipment=requirement.equipment,
        van_stock={s: n + draw(near) for s, n in requirement.parts.items()},
        shifts=shifts,
    )


def _meets(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def oracle(requirement: Requirement, qualification: Qualification) -> Counter[str]:
    """How many reasons of each code the rules in the issue call for, written from scratch."""
    r, q, slot = requirement, qualification, requirement.slot
    short = [sku for sku, n in r.parts.items() if q.van_stock.get(sku, 0) < n]
    if r.parts_ready_at is None:
        missing_parts = len(short)
    else:
        missing_parts = int(bool(short) and slot is not None and slot.start < r.parts_ready_at)
    expected = Counter(
        {
            "excluded_by_customer": int(q.technician_id in r.excluded_technicians),
            "prerequisite_pending": len(r.pending_prerequisites),
            "missing_skill": len([c for c in r.skills if c not in q.skills]),
            "skill_level": len([c for c, n in r.skills.items() if 0 < q.skills.get(c, 0) < n]),
            "certification_expired": len(
                [c for c in r.certifications if c not in q.certifications]
                + [c for c in r.certifications if q.certifications.get(c, r.day) < r.day]
            ),
            "missing_equipment": len([e for e in r.equipment if e not in q.equipment]),
            "missing_parts": missing_parts,
        }
    )
    if slot is not None:
        inside_a_shift = any(s.start <= slot.start and slot.end <= s.end for s in q.shifts)
        expected["off_shift"] = int(not inside_a_shift) + len(
            [o for o in q.time_off if _meets(o.start, o.end, slot.start, slot.end)]
        )
        expected["overlap"] = len(
            [
                v
                for v, b in q.bookings.items()
                if v != r.visit_id and _meets(b.start, b.end, slot.start, slot.end)
            ]
        )
    return +expected


def failing_items(reasons: Iterable[Reason]) -> Counter[str]:
    """Count failing items per kind: a missing skill that becomes a low level is the same item."""
    return Counter(
        "skill" if r.code in {"missing_skill", "skill_level"} else r.code for r in reasons
    )


@given(st.tuples(requirements, qualifications) | on_the_edge())
def test_reasons_are_exactly_what_the_oracle_expects(pair):
    requirement, qualification = pair
    reasons = check(requirement, qualification)

    assert Counter(reason.code for reason in reasons) == oracle(requirement, qualification)
    assert (reasons == []) == (not oracle(requirement, qualification))


def _with_skill(q: Qualification, data: st.DataObject) -> Qualification:
    code, level = data.draw(st.sampled_from(SKILLS)), data.draw(levels)
    return replace(q, skills={**q.skills, code: max(level, q.skills.get(code, 1))})


def _with_certification(q: Qualification, data: st.DataObject) -> Qualification:
    code = data.draw(st.sampled_from(CERTIFICATIONS))
    until = max(data.draw(st.dates(DAY, DAY + timedelta(days=9))), q.certifications.get(code, DAY))
    return replace(q, certifications={**q.certifications, code: until})


def _with_equipment(q: Qualification, data: st.DataObject) -> Qualification:
    return replace(q, equipment=q.equipment | {data.draw(st.sampled_from(EQUIPMENT))})


def _with_stock(q: Qualification, data: st.DataObject) -> Qualification:
    sku, extra = data.draw(st.sampled_from(SKUS)), data.draw(st.integers(1, 3))
    return replace(q, van_stock={**q.van_stock, sku: q.van_stock.get(sku, 0) + extra})


def _with_shift(q: Qualification, data: st.DataObject) -> Qualification:
    return replace(q, shifts=(*q.shifts, data.draw(intervals)))


def _with_longer_shift(q: Qualification, data: st.DataObject) -> Qualification:
    if not q.shifts:
        return q
    index = data.draw(st.integers(0, len(q.shifts) - 1))
    earlier, later = data.draw(st.integers(0, 4)) * STEP, data.draw(st.integers(0, 4)) * STEP
    shift = q.shifts[index]
    longer = Interval(shift.start - earlier, shift.end + later)
    return replace(q, shifts=(*q.shifts[:index], longer, *q.shifts[index + 1 :]))


def _without_booking(q: Qualification, data: st.DataObject) -> Qualification:
    if not q.bookings:
        return q
    gone = data.draw(st.sampled_from(sorted(q.bookings)))
    return replace(q, bookings={v: b for v, b in q.bookings.items() if v != gone})


def _without_time_off(q: Qualification, data: st.DataObject) -> Qualification:
    return replace(q, time_off=q.time_off[1:])


GAINS: list[Callable[[Qualification, st.DataObject], Qualification]] = [
    _with_skill,
    _with_certification,
    _with_equipment,
    _with_stock,
    _with_shift,
    _with_longer_shift,
    _without_booking,
    _without_time_off,
]


@given(requirements, qualifications, st.sampled_from(GAINS), st.data())
def test_a_technician_gaining_something_never_gains_a_reason(requirement, before, gain, data):
    after = gain(before, data)

    assert failing_items(check(requirement, after)) <= failing_items(check(requirement, before))


def _drop(values: Iterable[object], data: st.DataObject) -> set[object]:
    """The collection minus one drawn member, if it has any."""
    members = set(values)
    if not members:
        return members
    return members - {data.draw(st.sampled_from(sorted(members, key=str)))}


def _fewer_skills(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, skills={c: n for c, n in r.skills.items() if c in _drop(r.skills, data)})


def _lower_level(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(
        r, skills={c: max(1, n - data.draw(st.integers(0, 2))) for c, n in r.skills.items()}
    )


def _fewer_certifications(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, certifications=_drop(r.certifications, data))


def _less_equipment(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, equipment=_drop(r.equipment, data))


def _fewer_parts(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, parts={s: n for s, n in r.parts.items() if s in _drop(r.parts, data)})


def _smaller_quantity(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(
        r, parts={s: max(1, n - data.draw(st.integers(0, 2))) for s, n in r.parts.items()}
    )


def _parts_ready_earlier(r: Requirement, data: st.DataObject) -> Requirement:
    if r.parts_ready_at is None:
        return r
    return replace(r, parts_ready_at=r.parts_ready_at - data.draw(st.integers(0, 8)) * STEP)


def _fewer_prerequisites(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, pending_prerequisites=_drop(r.pending_prerequisites, data))


def _fewer_exclusions(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, excluded_technicians=_drop(r.excluded_technicians, data))


def _no_slot(r: Requirement, data: st.DataObject) -> Requirement:
    return replace(r, slot=None)


def _narrower_slot(r: Requirement, data: st.DataObject) -> Requirement:
    if r.slot is None or r.slot.end - r.slot.start <= STEP:
        return r
    steps = (r.slot.end - r.slot.start) // STEP
    start = r.slot.start + data.draw(st.integers(0, steps - 1)) * STEP
    end = start + data.draw(st.integers(1, (r.slot.end - start) // STEP)) * STEP
    return replace(r, slot=Interval(start, end))


RELAXATIONS: list[Callable[[Requirement, st.DataObject], Requirement]] = [
    _fewer_skills,
    _lower_level,
    _fewer_certifications,
    _less_equipment,
    _fewer_parts,
    _smaller_quantity,
    _parts_ready_earlier,
    _fewer_prerequisites,
    _fewer_exclusions,
    _no_slot,
    _narrower_slot,
]


@given(requirements, qualifications, st.sampled_from(RELAXATIONS), st.data())
def test_asking_for_less_never_adds_a_reason(before, qualification, relax, data):
    after = relax(before, data)

    assert failing_items(check(after, qualification)) <= failing_items(check(before, qualification))


def _reversed(q: Qualification) -> Qualification:
    """The same technician with every collection in the opposite order."""
    return replace(
        q,
        skills=dict(reversed(q.skills.items())),
        certifications=dict(reversed(q.certifications.items())),
        van_stock=dict(reversed(q.van_stock.items())),
        shifts=q.shifts[::-1],
        time_off=q.time_off[::-1],
        bookings=dict(reversed(q.bookings.items())),
    )


@given(requirements, qualifications)
def test_result_depends_on_content_not_on_input_order(requirement, qualification):
    reordered = replace(
        requirement,
        skills=dict(reversed(requirement.skills.items())),
        parts=dict(reversed(requirement.parts.items())),
    )

    assert check(requirement, qualification) == check(requirement, qualification)
    assert check(requirement, qualification) == check(reordered, _reversed(qualification))


@given(requirements, st.lists(qualifications, max_size=3, unique_by=lambda q: q.technician_id))
def test_eligible_ids_are_those_check_finds_nothing_against(requirement, technicians):
    expected = {q.technician_id for q in technicians if not check(requirement, q)}

    assert eligible_ids(requirement, technicians) == expected
