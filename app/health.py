"""Kubernetes-style probes: alive (the process answers) and ready (the database answers)."""

from flask import Blueprint, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import problem
from app.extensions import db

health = Blueprint("health", __name__)


@health.get("/livez")
def livez() -> Response:
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> Response:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return problem(503, "The database does not answer.", slug="not-ready")
    return jsonify(status="ok")
