"""/customers: the people and households we serve, their sites and assets."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.customers import preferences, service
from app.customers.models import Asset, Customer, TechnicianPreference
from app.customers.schemas import (
    AssetSchema,
    CustomerPatchSchema,
    CustomerQueryArgsSchema,
    CustomerSchema,
    TechnicianPreferenceSchema,
)
from app.idempotency.decorator import idempotent
from app.web import Blueprint

blp = Blueprint("customers", __name__, url_prefix="/api/v1/customers", description="Customers")

STAFF = (Role.AGENT, Role.DISPATCHER)


@blp.route("")
class Customers(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.arguments(CustomerQueryArgsSchema, location="query")
    @blp.response(200, CustomerSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Customer]:
        """List customers, optionally matching a name, phone or e-mail"""
        page = service.list_customers(
            q=args.get("q"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @blp.arguments(CustomerSchema)
    @blp.response(201, CustomerSchema)
    def post(self, data: dict[str, Any]) -> Customer:
        """Create a customer with contacts and sites"""
        return service.create_customer(data.pop("name"), **data)


@blp.route("/<int:customer_id>")
class CustomerById(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.response(200, CustomerSchema)
    def get(self, customer_id: int) -> Customer:
        """Get a customer"""
        return service.get_customer(customer_id)

    @blp.arguments(CustomerPatchSchema)
    @blp.response(200, CustomerSchema)
    def patch(self, changes: dict[str, Any], customer_id: int) -> Customer:
        """Change a customer's name or contacts, add or edit sites"""
        return service.update_customer(customer_id, **changes)


@blp.route("/<int:customer_id>/assets")
class CustomerAssets(MethodView):
    decorators = (roles_required(*STAFF),)

    @idempotent
    @blp.arguments(AssetSchema)
    @blp.response(201, AssetSchema)
    def post(self, fields: dict[str, Any], customer_id: int) -> Asset:
        """Register an appliance or unit at one of the customer's sites"""
        return service.add_asset(customer_id, **fields)


@blp.route("/<int:customer_id>/technician-preferences")
class CustomerTechnicianPreferences(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.response(200, TechnicianPreferenceSchema(many=True))
    def get(self, customer_id: int) -> list[TechnicianPreference]:
        """List the technicians this customer prefers or refused"""
        return preferences.list_technician_preferences(customer_id)

    @idempotent
    @blp.arguments(TechnicianPreferenceSchema)
    @blp.response(201, TechnicianPreferenceSchema)
    def post(self, fields: dict[str, Any], customer_id: int) -> TechnicianPreference:
        """Prefer or exclude a technician; an excluded one is never eligible for them"""
        return preferences.add_technician_preference(
            customer_id, actor=current_principal(), **fields
        )
