"""Shapes of skills, equipment, visit types and the requirement lists they share."""

import marshmallow as ma

from app.catalog.models import MAX_LEVEL, VisitKind
from app.common.fields import Line

CODE = ma.validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{0,39}$", error="Use 1-40 of a-z 0-9 _ . -")


class SkillSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=CODE)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=120))
    certified = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Needs a certification valid on the visit's day"},
    )


class EquipmentSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=CODE)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=120))


class RequiredSkillSchema(ma.Schema):
    code = ma.fields.String(required=True, attribute="skill_code", data_key="code")
    level = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, MAX_LEVEL))


class RequiredPartSchema(ma.Schema):
    sku = ma.fields.String(required=True)
    quantity = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))


class RequirementsSchema(ma.Schema):
    """Skills with minimum levels, equipment codes and exact part SKUs."""

    required_skills = ma.fields.List(ma.fields.Nested(RequiredSkillSchema))
    required_equipment = ma.fields.List(ma.fields.String())
    required_parts = ma.fields.List(ma.fields.Nested(RequiredPartSchema))

    @ma.validates_schema
    def no_repeats(self, data: dict, **_kwargs: object) -> None:
        keyed = {"required_skills": "skill_code", "required_parts": "sku"}
        for field, key in keyed.items():
            codes = [row[key] for row in data.get(field, [])]
            if len(codes) != len(set(codes)):
                raise ma.ValidationError("Each code may appear once.", field)


class VisitTypeSchema(RequirementsSchema):
    code = ma.fields.String(required=True, validate=CODE)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.String(
        load_default=VisitKind.REPAIR,
        validate=ma.validate.OneOf(list(VisitKind)),
        metadata={"enum": list(VisitKind), "description": "What kind of visit this template makes"},
    )
    default_duration_minutes = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=24 * 60)
    )
