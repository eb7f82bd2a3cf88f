"""ETags of visits and diagnoses: their row version, so the phone can send If-Match offline.

The tag is derived from (id, version) rather than from the response body: the day view, the
visit and the diagnosis endpoints all show the same tag for the same row, and SQLAlchemy's
``version_id_col`` makes the final UPDATE compare-and-swap on that very version.
"""

from typing import Any

from flask import request
from flask_smorest.etag import _get_etag_ctx

from app.errors import PreconditionRequired
from app.visits.models import Diagnosis, Visit
from app.web import Blueprint


def visit_etag_data(visit: Visit) -> dict[str, Any]:
    return {"visit": visit.id, "version": visit.version}


def diagnosis_etag_data(diagnosis: Diagnosis | None) -> dict[str, Any] | None:
    return None if diagnosis is None else {"diagnosis": diagnosis.id, "version": diagnosis.version}


def etag_of(data: dict[str, Any] | None) -> str:
    """The ETag header value flask-smorest sends for this data, for payloads that embed it."""
    return f'"{Blueprint._generate_etag(data)}"'


def require_if_match() -> None:
    """428 unless the client says which version it changes: for writes that would silently
    undo someone else's (a window, a lock, a diagnosis)."""
    if not request.if_match:
        raise PreconditionRequired(
            "Send If-Match with the ETag of the version you are changing "
            "(from GET on this resource); without it another change could be undone unseen."
        )


class OptionalIfMatchBlueprint(Blueprint):
    """If-Match is honoured when sent (412 when stale) and required only where a route asks
    for it (require_if_match): dispatchers' screens may book without it."""

    def _check_precondition(self) -> None:
        return None

    def check_etag(self, etag_data: Any, etag_schema: Any = None) -> None:
        if request.if_match:
            super().check_etag(etag_data, etag_schema)
        else:
            _get_etag_ctx()["etag_checked"] = True
