"""/inbound/email (raw MIME from a mail provider or a pipe) and the review list of unmatched."""

from typing import Any

from flask import Response, current_app, request
from flask.blueprints import BlueprintSetupState
from flask.views import MethodView

from app.auth.access import current_principal, public, roles_required
from app.auth.models import Role
from app.errors import problem
from app.extensions import db
from app.guards import accepts_raw_body
from app.inbound import review, service, sms
from app.inbound.access import channel_system, provider_signed
from app.inbound.models import InboundMessage
from app.inbound.schemas import (
    AttachSchema,
    InboundResultSchema,
    ProviderSmsSchema,
    UnmatchedSchema,
)
from app.photos import received
from app.web import Blueprint

blp = Blueprint("inbound", __name__, url_prefix="/api/v1", description="Inbound e-mail and SMS")

RFC822 = "message/rfc822"
RAW_MESSAGE = {"content": {RFC822: {"schema": {"type": "string", "format": "binary"}}}}
CHANNEL_AUTH = [{"bearerAuth": []}, {"basicAuth": []}]
SIGNATURE = {
    "name": "X-Twilio-Signature",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "The provider's HMAC-SHA1 of the public URL and the form",
}


@blp.record_once
def _clean_up_uncommitted_photos(state: BlueprintSetupState) -> None:
    received.init_app(state.app)


@blp.errorhandler(service.Unmatched)
def keep_unmatched(error: service.Unmatched) -> Response:
    """The request's unit of work was rolled back at the edge; the message is kept in one of
    its own, then 422."""
    with db.unit_of_work():
        kept = service.keep_unmatched(error)
    return problem(422, error.detail, slug=error.slug, unmatched_id=kept.id)


@blp.route("/inbound/email")
@public
@accepts_raw_body(RFC822)
class InboundEmail(MethodView):
    decorators = (channel_system("INBOUND_EMAIL_SECRET"),)

    @blp.doc(security=CHANNEL_AUTH, requestBody=RAW_MESSAGE)
    @blp.response(201, InboundResultSchema)
    @blp.alt_response(200, schema=InboundResultSchema, description="Already recorded")
    def post(self) -> tuple[dict[str, Any], int]:
        """Take in one raw e-mail (message/rfc822): onto its case, with its photos"""
        request.max_content_length = current_app.config["INBOUND_MAX_BYTES"]
        received = service.receive_email(request.get_data())
        return service.describe(received), 201 if received.created else 200


@blp.route("/inbound/sms")
@public
@accepts_raw_body("application/x-www-form-urlencoded")
class InboundSms(MethodView):
    decorators = (provider_signed,)

    @blp.doc(security=[], parameters=[SIGNATURE])
    @blp.arguments(ProviderSmsSchema, location="form")
    @blp.response(201, InboundResultSchema)
    @blp.alt_response(200, schema=InboundResultSchema, description="Already recorded")
    def post(self, fields: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Take in an SMS or MMS as the provider posts it (Twilio's form, signed)"""
        fetcher = sms.media_fetcher(current_app.config)
        received = sms.receive_sms(sms.Sms(**fields), fetcher=fetcher)
        return service.describe(received), 201 if received.created else 200


@blp.route("/inbound/unmatched")
class Unmatched(MethodView):
    decorators = (roles_required(Role.AGENT, Role.DISPATCHER),)

    @blp.response(200, UnmatchedSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[InboundMessage]:
        """Messages no case or customer matched, newest first"""
        page = review.list_unmatched(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/inbound/unmatched/<int:message_id>/attach")
class AttachUnmatched(MethodView):
    decorators = (roles_required(Role.AGENT, Role.DISPATCHER),)

    @blp.arguments(AttachSchema)
    @blp.response(201, InboundResultSchema)
    @blp.alt_response(200, schema=InboundResultSchema, description="Already on that case")
    def post(self, fields: dict[str, Any], message_id: int) -> tuple[dict[str, Any], int]:
        """Put an unmatched message on a case, photos and all"""
        received = review.attach_unmatched(
            message_id, case_number=fields["case_number"], actor=current_principal()
        )
        return service.describe(received), 201 if received.created else 200
