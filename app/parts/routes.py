"""/parts, /stock-locations: exact SKUs and where they are stocked."""

from typing import Any

from flask.views import MethodView

from app.auth.access import roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.parts import service
from app.parts.models import Part, StockLevel, StockLocation
from app.parts.schemas import PartQueryArgsSchema, PartSchema, StockLevelSchema, StockLocationSchema
from app.web import Blueprint

blp = Blueprint("parts", __name__, url_prefix="/api/v1", description="Parts and stock")

READERS = (Role.AGENT, Role.DISPATCHER, Role.TECHNICIAN)


@blp.route("/parts")
class Parts(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.arguments(PartQueryArgsSchema, location="query")
    @blp.response(200, PartSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Part]:
        """List parts, optionally matching a SKU or name"""
        page = service.list_parts(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @roles_required(Role.DISPATCHER)
    @blp.arguments(PartSchema)
    @blp.response(201, PartSchema)
    def post(self, fields: dict[str, Any]) -> Part:
        """Add a part SKU"""
        return service.create_part(fields.pop("sku"), **fields)


@blp.route("/stock-locations")
class StockLocations(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, StockLocationSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[StockLocation]:
        """List warehouses and vans"""
        page = service.list_stock_locations(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @roles_required(Role.DISPATCHER)
    @blp.arguments(StockLocationSchema)
    @blp.response(201, StockLocationSchema)
    def post(self, fields: dict[str, Any]) -> StockLocation:
        """Add a warehouse, or a van driven by a technician"""
        return service.create_stock_location(fields.pop("name"), **fields)


@blp.route("/stock-locations/<int:location_id>/stock")
class Stock(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, StockLevelSchema(many=True))
    def get(self, location_id: int) -> list[StockLevel]:
        """What is on hand and reserved at a location, by SKU"""
        return service.list_stock(location_id)

    @roles_required(Role.DISPATCHER)
    @blp.arguments(StockLevelSchema)
    @blp.response(200, StockLevelSchema)
    def put(self, fields: dict[str, Any], location_id: int) -> StockLevel:
        """Set the on-hand quantity of one SKU (a stock count)"""
        return service.set_stock(location_id, **fields)
