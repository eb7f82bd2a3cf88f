"""The API's slices, in the order their tags appear in the docs."""

from app.auth.routes import blp as auth
from app.cases.routes import blp as cases
from app.customers.routes import blp as customers
from app.web import Blueprint


def blueprints() -> list[Blueprint]:
    return [auth, customers, cases]
