"""/cases/{number}/portal-links for staff, /portal/{token}/... for the customer holding one."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, public, roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.photos.schemas import PhotoCreateSchema, PhotoUploadSchema
from app.portal import booking, service
from app.portal.guards import limit_portal, no_store
from app.portal.models import PortalConfirmation
from app.portal.schemas import (
    PortalCaseSchema,
    PortalConfirmationSchema,
    PortalConfirmSchema,
    PortalLinkCreateSchema,
    PortalLinkSchema,
    PortalNoteSchema,
    PortalPhotoSchema,
    PortalReasonSchema,
    PortalRefusalSchema,
    PortalRescheduleSchema,
    PortalSlotSchema,
    PortalVisitChoiceSchema,
    PortalVisitSchema,
)
from app.portal.slots import Slot
from app.portal.tokens import PortalLink
from app.portal.view import case_page, shown_visit, site_zone
from app.visits.models import Visit
from app.web import Blueprint

links = Blueprint(
    "portal-links", __name__, url_prefix="/api/v1", description="Portal links for customers"
)
blp = Blueprint(
    "portal", __name__, url_prefix="/api/v1", description="Customer portal (signed link, no login)"
)
blp.after_request(no_store)
limit_portal(blp)
NO_LOGIN = {"security": []}


@links.route("/cases/<number>/portal-links")
class PortalLinks(MethodView):
    decorators = (roles_required(Role.AGENT, Role.DISPATCHER),)

    @idempotent
    @links.arguments(PortalLinkCreateSchema)
    @links.response(201, PortalLinkSchema)
    def post(self, fields: dict[str, Any], number: str) -> PortalLink:
        """Issue a signed link to the case for the customer"""
        return service.create_portal_link(number, actor=current_principal(), **fields)

    @links.response(204)
    def delete(self, number: str) -> None:
        """Revoke every link issued for the case so far"""
        service.revoke_portal_links(number, actor=current_principal())


@blp.route("/portal/<token>")
@public
class PortalCase(MethodView):
    @blp.doc(**NO_LOGIN)
    @blp.response(200, PortalCaseSchema)
    def get(self, token: str) -> dict[str, Any]:
        """The case as the customer sees it: visits, timeline, photos"""
        return case_page(service.case_for_token(token))


@blp.route("/portal/<token>/confirm")
@public
class PortalConfirm(MethodView):
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalConfirmSchema)
    @blp.response(201, PortalConfirmationSchema)
    @blp.alt_response(200, schema=PortalConfirmationSchema, description="Already confirmed")
    def post(self, fields: dict[str, Any], token: str) -> tuple[PortalConfirmation, int]:
        """Confirm the appointment and accept the terms of this version"""
        confirmation, created = service.confirm_appointment(token, **fields)
        return confirmation, 201 if created else 200


@blp.route("/portal/<token>/slots")
@public
class PortalSlots(MethodView):
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalVisitChoiceSchema, location="query")
    @blp.response(200, PortalSlotSchema(many=True))
    def get(self, args: dict[str, Any], token: str) -> list[Slot]:
        """Windows in the next 14 days where an eligible technician has room"""
        return booking.available_slots(token, **args)


@blp.route("/portal/<token>/reschedule")
@public
class PortalReschedule(MethodView):
    # Not an Idempotency-Key endpoint: the booking runs under its own write lock, and moving
    # into the window the visit already has is harmless anyway.
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalRescheduleSchema)
    @blp.response(200, PortalVisitSchema)
    def post(self, fields: dict[str, Any], token: str) -> dict[str, Any]:
        """Move the visit to one of the offered windows"""
        visit = booking.reschedule_visit(token, **fields)
        return _shown(visit)


@blp.route("/portal/<token>/cancel")
@public
class PortalCancel(MethodView):
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalReasonSchema)
    @blp.response(200, PortalVisitSchema)
    def post(self, fields: dict[str, Any], token: str) -> dict[str, Any]:
        """Cancel the appointment, saying why"""
        visit = booking.cancel_visit(token, **fields)
        return _shown(visit)


@blp.route("/portal/<token>/notes")
@public
class PortalNotes(MethodView):
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalNoteSchema)
    @blp.response(204)
    def post(self, fields: dict[str, Any], token: str) -> None:
        """Leave a note on the case"""
        service.add_note(token, **fields)


@blp.route("/portal/<token>/photos")
@public
class PortalPhotos(MethodView):
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PhotoCreateSchema)
    @blp.response(201, PhotoUploadSchema)
    def post(self, fields: dict[str, Any], token: str) -> dict[str, Any]:
        """Start a photo upload: get the URL to send its bytes to"""
        photo, target = service.request_photo_upload(token, **fields)
        return {"photo": photo, "upload": target}


@blp.route("/portal/<token>/photos/<int:photo_id>/complete")
@public
class PortalPhotoCompletion(MethodView):
    @blp.doc(**NO_LOGIN)
    @blp.response(200, PortalPhotoSchema)
    def post(self, token: str, photo_id: int) -> dict[str, Any]:
        """Check and process the uploaded bytes; the photo becomes ready or rejected"""
        return service.complete_photo(token, photo_id)


@blp.route("/portal/<token>/refuse-technician")
@public
class PortalRefuseTechnician(MethodView):
    @idempotent
    @blp.doc(**NO_LOGIN)
    @blp.arguments(PortalReasonSchema)
    @blp.response(200, PortalRefusalSchema)
    def post(self, fields: dict[str, Any], token: str) -> dict[str, Any]:
        """Ask us never to send this visit's technician again"""
        return booking.refuse_technician(token, **fields)


def _shown(visit: Visit) -> dict[str, Any]:
    return shown_visit(visit, site_zone(visit.case))
