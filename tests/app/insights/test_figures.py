"""GET /insights on the small world of conftest.py: every figure is the number we know."""

import pytest

from app.auth.models import Role
from tests.app.insights.conftest import EVERYTHING, MONDAY_ONLY


@pytest.fixture
def manager_headers(make_user, headers_for):
    return headers_for(make_user(Role.MANAGER))


def _insights(client, headers, **args):
    response = client.get("/api/v1/insights", query_string=args, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_first_time_fix_counts_cases_fixed_by_their_only_visit(client, manager_headers, world):
    body = _insights(client, manager_headers, **EVERYTHING)

    # A (one repair) and B (assessment, then repair) were resolved by visits; D by phone only.
    assert body["first_time_fix"] == {"cases": 2, "fixed_first_time": 1, "rate": 0.5}


def test_refused_and_overridden_guards_are_counted(client, manager_headers, world):
    body = _insights(client, manager_headers, **EVERYTHING)

    assert body["repeat_assessments_prevented"] == 1
    assert body["repeat_assessments_overridden"] == 1
    assert body["wrong_technician_refusals"] == {
        "total": 2,
        "by_reason": dict(world["reason_codes"]),
    }
    assert world["reason_codes"]["missing_skill"] == 1
    assert world["reason_codes"]["outside_window"] == 1


def test_contacts_and_channels_before_resolution_are_distributions(client, manager_headers, world):
    body = _insights(client, manager_headers, **EVERYTHING)

    # A: its opening call. B: call, e-mail, chat. D: call, then the call that solved it.
    assert body["attempts_before_resolution"] == {"1": 1, "2": 1, "3": 1}
    assert body["channels_before_resolution"] == {"1": 2, "3": 1}
    assert body["customers_with_unresolved_attempts"] == 2


def test_outcomes_plans_and_messages(client, manager_headers, world):
    body = _insights(client, manager_headers, **EVERYTHING)

    assert body["visits_by_outcome"] == {"completed": 3, "no_access": 1, "incomplete": 0}
    assert body["plans"] == {
        "plans_applied": 1,
        "visits_planned": 4,
        "mean_travel_minutes": 7.5,
        "mean_utilisation": 0.6,
    }
    assert body["messages"] == {"sent": 2, "failed": 1}


def test_the_period_bounds_every_figure(client, manager_headers, world):
    body = _insights(client, manager_headers, **MONDAY_ONLY)

    # The refusals, the override and the opening calls happened today, not on that Monday.
    assert body["repeat_assessments_prevented"] == 0
    assert body["repeat_assessments_overridden"] == 0
    assert body["wrong_technician_refusals"]["total"] == 0
    assert body["visits_by_outcome"]["completed"] == 3
    assert body["first_time_fix"]["cases"] == 2


def test_another_territory_sees_none_of_it(client, manager_headers, world):
    elsewhere = _insights(client, manager_headers, **EVERYTHING, territory="boulder")
    here = _insights(client, manager_headers, **EVERYTHING, territory="denver-central")

    assert elsewhere["first_time_fix"]["cases"] == 0
    assert elsewhere["wrong_technician_refusals"]["total"] == 0
    assert elsewhere["repeat_assessments_prevented"] == 0
    assert elsewhere["plans"]["plans_applied"] == 0
    assert elsewhere["visits_by_outcome"]["completed"] == 0
    assert here["first_time_fix"] == {"cases": 2, "fixed_first_time": 1, "rate": 0.5}
    assert here["repeat_assessments_prevented"] == 1
    assert here["wrong_technician_refusals"]["total"] == 2


def test_the_figures_come_as_csv_too(client, manager_headers, world):
    response = client.get(
        "/api/v1/insights", query_string={**EVERYTHING, "format": "csv"}, headers=manager_headers
    )

    lines = response.get_data(as_text=True).splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0] == "figure,key,value"
    assert "first_time_fix,rate,0.5" in lines
    assert "wrong_technician_refusals,by_reason.missing_skill,1" in lines


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.DISPATCHER, 200),
        (Role.ADMIN, 200),
        (Role.AGENT, 403),
        (Role.TECHNICIAN, 404),
    ],
)
def test_managers_dispatchers_and_admins_read_the_numbers(
    client, make_user, headers_for, role, status
):
    response = client.get(
        "/api/v1/insights", query_string=MONDAY_ONLY, headers=headers_for(make_user(role))
    )

    assert response.status_code == status


def test_a_period_that_ends_before_it_starts_is_refused(client, manager_headers):
    response = client.get(
        "/api/v1/insights",
        query_string={"from": "2031-06-02", "to": "2031-06-01"},
        headers=manager_headers,
    )

    assert response.status_code == 422
    assert "to" in response.json["errors"]
