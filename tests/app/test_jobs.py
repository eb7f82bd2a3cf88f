"""Jobs run off the request thread, inside an app context, with plain arguments."""

import pytest
from flask import current_app

from app.jobs import job, submit


@job
def double(value: int) -> tuple[int, str]:
    return value * 2, current_app.name


def not_registered() -> None:
    """A function nobody registered as a job."""


def test_a_job_runs_in_process_inside_an_app_context(app):
    future = submit(double, value=21)

    assert future.result(timeout=10) == (42, app.name)


def test_only_registered_functions_can_be_submitted(app):
    with pytest.raises(ValueError, match="not registered"):
        submit(not_registered)
