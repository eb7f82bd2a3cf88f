"""/webhooks for channel systems, and /cases/{number}/notifications: what was sent and how."""

from typing import Any

from flask.blueprints import BlueprintSetupState
from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.notifications import runner, service
from app.notifications.models import Notification, WebhookSubscription
from app.notifications.schemas import NotificationSchema, WebhookCreatedSchema, WebhookSchema
from app.web import Blueprint

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/v1", description="Notifications and webhooks"
)

STAFF = (Role.AGENT, Role.DISPATCHER)
# A subscription receives every event it names, customers' details included, and deleting one
# silences another system: dispatchers (and admins) manage them, not every agent.
WEBHOOK_MANAGERS = (Role.DISPATCHER,)


@blp.record_once
def _start_relay(state: BlueprintSetupState) -> None:
    """The relay belongs to the app that serves this slice, so it is set up with it."""
    runner.init_app(state.app)


@blp.route("/webhooks")
class Webhooks(MethodView):
    decorators = (roles_required(*WEBHOOK_MANAGERS),)

    @blp.response(200, WebhookSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[WebhookSubscription]:
        """List webhook subscriptions"""
        page = service.list_webhooks(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @blp.arguments(WebhookSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, fields: dict[str, Any]) -> WebhookSubscription:
        """Subscribe a URL to events; deliveries are signed per Standard Webhooks"""
        return service.subscribe_webhook(actor=current_principal(), **fields)


@blp.route("/webhooks/<int:subscription_id>")
class WebhookById(MethodView):
    decorators = (roles_required(*WEBHOOK_MANAGERS),)

    @blp.response(204)
    def delete(self, subscription_id: int) -> None:
        """Unsubscribe; messages still waiting for it are cancelled"""
        service.delete_webhook(subscription_id)


@blp.route("/cases/<number>/notifications")
class CaseNotifications(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate()
    def get(self, number: str, pagination_parameters: Any) -> list[Notification]:
        """Messages about the case on every channel, newest first"""
        page = service.list_case_notifications(
            number, page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = page.total
        return page.items
