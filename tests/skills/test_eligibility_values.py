"""The value objects refuse nonsense early and stay immutable after construction."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from skills import Interval, Qualification, Requirement

START = datetime(2025, 3, 4, 9, tzinfo=UTC)


def test_interval_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="aware"):
        Interval(datetime(2025, 3, 4, 9), datetime(2025, 3, 4, 10))


@pytest.mark.parametrize("minutes", [0, -30])
def test_interval_must_end_after_it_starts(minutes):
    with pytest.raises(ValueError, match="end after it starts"):
        Interval(START, START + timedelta(minutes=minutes))


def test_interval_prints_clock_time_in_the_zone_given():
    paris = timezone(timedelta(hours=1))
    interval = Interval(START.astimezone(paris), (START + timedelta(hours=1)).astimezone(paris))

    assert str(interval) == "10:00\u201311:00"


def test_intervals_in_different_zones_compare_by_instant():
    paris = timezone(timedelta(hours=1))
    utc = Interval(START, START + timedelta(hours=1))
    local = Interval(START.astimezone(paris), (START + timedelta(hours=2)).astimezone(paris))

    assert local.contains(utc)


@pytest.mark.parametrize("level", [0, 4])
def test_requirement_refuses_skill_levels_outside_one_to_three(level):
    with pytest.raises(ValueError, match="skill level must be 1-3"):
        Requirement(visit_id=1, day=date(2025, 3, 4), skills={"hvac": level})


@pytest.mark.parametrize("level", [0, 4])
def test_qualification_refuses_skill_levels_outside_one_to_three(level):
    with pytest.raises(ValueError, match="skill level must be 1-3"):
        Qualification(technician_id=1, skills={"hvac": level})


def test_requirement_refuses_a_part_quantity_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        Requirement(visit_id=1, day=date(2025, 3, 4), parts={"FLT": 0})


def test_requirement_refuses_naive_parts_ready_at():
    with pytest.raises(ValueError, match="aware"):
        Requirement(visit_id=1, day=date(2025, 3, 4), parts_ready_at=datetime(2025, 3, 4, 9))


def test_qualification_refuses_negative_van_stock():
    with pytest.raises(ValueError, match="negative"):
        Qualification(technician_id=1, van_stock={"FLT": -1})


def test_changing_the_callers_dict_later_does_not_change_the_value():
    skills = {"hvac": 1}
    qualification = Qualification(technician_id=1, skills=skills)

    skills["hvac"] = 3

    assert qualification.skills == {"hvac": 1}
    with pytest.raises(TypeError):
        qualification.skills["hvac"] = 3  # type: ignore[index]


def test_plain_sets_and_lists_are_stored_immutable():
    requirement = Requirement(visit_id=1, day=date(2025, 3, 4), equipment={"ladder"})
    qualification = Qualification(technician_id=1, shifts=[Interval(START, START + timedelta(1))])

    assert isinstance(requirement.equipment, frozenset)
    assert isinstance(qualification.shifts, tuple)
