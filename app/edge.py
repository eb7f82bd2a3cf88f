"""The request edge: every request is one unit of work, committed once after its view or
rolled back (DESIGN §3). Use cases only flush, so an error anywhere leaves nothing written."""

from flask import Flask, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class FirstFix(Flask):
    """Flask whose requests begin their transaction before any hook and end it after the view.

    The transaction begins before the before-request hooks because authentication reads the
    account: on SQLite a writing request must hold the write lock from its first read. It is
    committed after the view has rendered its response, so a failing commit (a constraint, a
    dropped connection) is answered by the error handlers like any other error.
    """

    def full_dispatch_request(self) -> Response:
        try:
            return super().full_dispatch_request()
        finally:
            db.end(commit=False)  # what a refusing hook or a failed view left open

    def preprocess_request(self) -> ResponseReturnValue | None:
        """Begins here, so a database that refuses to begin is answered by the error handlers."""
        db.begin(writes=request.method not in SAFE_METHODS)
        return super().preprocess_request()

    def dispatch_request(self) -> ResponseReturnValue:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException as error:
            db.end(commit=False)
            write_after_rollback(error)
            raise
        db.end(commit=response.status_code < 400)
        return response


def write_after_rollback(error: BaseException) -> None:
    """What must outlast the refused request (a note of the refusal, a recorded guard
    refusal, the stored idempotent answer) is written in a unit of work of its own."""
    if not getattr(error, "after_rollback", None):
        return
    with db.unit_of_work():
        for write in error.after_rollback:
            write()
