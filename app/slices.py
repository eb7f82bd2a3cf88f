"""The API's slices, in the order their tags appear in the docs."""

from app.audit.routes import blp as audit
from app.auth.routes import blp as auth
from app.board.routes import blp as board
from app.cases.routes import blp as cases
from app.catalog.routes import blp as catalog
from app.customers.routes import blp as customers
from app.inbound.routes import blp as inbound
from app.insights.routes import blp as insights
from app.me.routes import blp as me
from app.notifications.routes import blp as notifications
from app.parts.routes import blp as parts
from app.photos.routes import blp as photos
from app.photos.uploads import blp as uploads
from app.plans.routes import blp as plans
from app.portal.routes import blp as portal
from app.portal.routes import links as portal_links
from app.technicians.routes import blp as technicians
from app.visits.routes import blp as visits
from app.web import Blueprint


def blueprints() -> list[Blueprint]:
    return [
        auth,
        customers,
        cases,
        catalog,
        technicians,
        parts,
        visits,
        plans,
        photos,
        uploads,
        notifications,
        inbound,
        portal_links,
        portal,
        me,
        board,
        insights,
        audit,
    ]
