"""Shapes of parts, stock locations and stock levels."""

import marshmallow as ma

from app.common.fields import Line
from app.parts.models import LocationKind

SKU = ma.validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,59}$", error="1-60 letters, digits, _.-/")


class PartSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    sku = ma.fields.String(required=True, validate=SKU)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    attributes = ma.fields.Dict(
        keys=ma.fields.String(),
        load_default=dict,
        metadata={"description": "Size, variant...; a different size is a different SKU"},
    )


class PartQueryArgsSchema(ma.Schema):
    q = ma.fields.String(metadata={"description": "Part of the SKU or name"})


class StockLocationSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(list(LocationKind)),
        metadata={"enum": list(LocationKind)},
    )
    technician_id = ma.fields.Integer(allow_none=True, metadata={"description": "The van's driver"})
    lead_time_hours = ma.fields.Integer(
        load_default=24,
        validate=ma.validate.Range(min=0),
        metadata={"description": "How long until a reservation here is ready to collect"},
    )


class StockLevelSchema(ma.Schema):
    sku = ma.fields.String(required=True)
    quantity = ma.fields.Integer(
        required=True, attribute="on_hand", validate=ma.validate.Range(min=0)
    )
    reserved = ma.fields.Integer(dump_only=True)
