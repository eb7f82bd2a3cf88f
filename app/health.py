"""Kubernetes-style probes: alive (the process answers) and ready (the database answers)."""

import marshmallow as ma
from flask import Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import problem
from app.extensions import db
from app.web import Blueprint, ProblemSchema

health = Blueprint("health", __name__, description="Probes for the orchestrator (no token)")
NO_LOGIN = {"security": []}


class StatusSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": ["ok"]})


@health.route("/livez")
@health.doc(**NO_LOGIN)
@health.response(200, StatusSchema)
def livez() -> Response:
    """The process answers"""
    return jsonify(status="ok")


@health.route("/readyz")
@health.doc(**NO_LOGIN)
@health.response(200, StatusSchema)
@health.alt_response(503, schema=ProblemSchema, description="The database does not answer")
def readyz() -> Response:
    """The process and its database answer"""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return problem(503, "The database does not answer.", slug="not-ready")
    return jsonify(status="ok")
