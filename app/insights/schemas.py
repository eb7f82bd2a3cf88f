"""The insights' query and response, each figure defined where the docs show it."""

import marshmallow as ma


def counts(description: str) -> ma.fields.Dict:
    return ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), metadata={"description": description}
    )


class InsightsArgsSchema(ma.Schema):
    first = ma.fields.Date(
        required=True, data_key="from", metadata={"description": "First UTC day, included"}
    )
    last = ma.fields.Date(
        required=True, data_key="to", metadata={"description": "Last UTC day, included"}
    )
    territory = ma.fields.String(
        metadata={
            "description": "Only cases with a visit booked to a technician of this territory, "
            "that territory's technicians' visits, and its plan parts"
        }
    )
    format = ma.fields.String(
        load_default="json",
        validate=ma.validate.OneOf(["json", "csv"]),
        metadata={"description": "csv: one line per number (figure, key, value)"},
    )

    @ma.validates_schema
    def in_order(self, data: dict, **_kwargs: object) -> None:
        if data["first"] > data["last"]:
            raise ma.ValidationError("'to' must not be before 'from'.", "to")


class FirstTimeFixSchema(ma.Schema):
    cases = ma.fields.Integer(
        metadata={
            "description": "Cases resolved in the period (resolved or closed now; resolved at "
            "the first contact recorded as resolved or the first completion of a repair, "
            "installation, maintenance or follow-up visit) with a visit other than a survey"
        }
    )
    fixed_first_time = ma.fields.Integer(
        metadata={
            "description": "Of those, cases whose only visit besides surveys (cancelled ones "
            "left out) was completed: no later repair or follow-up visit was needed"
        }
    )
    rate = ma.fields.Float(
        allow_none=True, metadata={"description": "fixed_first_time / cases; null when no case"}
    )


class RefusalsSchema(ma.Schema):
    total = ma.fields.Integer(
        metadata={"description": "Bookings the assignment guard refused (409), recorded"}
    )
    by_reason = counts("Refusals per reason code; one refusal may give several")


class PlansSchema(ma.Schema):
    plans_applied = ma.fields.Integer(metadata={"description": "Plans applied in the period"})
    visits_planned = ma.fields.Integer(metadata={"description": "Stops in their routes"})
    mean_travel_minutes = ma.fields.Float(
        allow_none=True, metadata={"description": "Their planned travel per planned visit"}
    )
    mean_utilisation = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "Mean over their routes of (work + travel) / the technician's "
            "free time that day"
        },
    )


class InsightsSchema(ma.Schema):
    first = ma.fields.Date(data_key="from")
    last = ma.fields.Date(data_key="to")
    territory = ma.fields.String(allow_none=True)
    first_time_fix = ma.fields.Nested(FirstTimeFixSchema)
    repeat_assessments_prevented = ma.fields.Integer(
        metadata={"description": "Assessments the repeat-assessment guard refused (409)"}
    )
    repeat_assessments_overridden = ma.fields.Integer(
        metadata={"description": "Assessments a dispatcher booked anyway, with a reason"}
    )
    wrong_technician_refusals = ma.fields.Nested(
        RefusalsSchema, metadata={"description": "The booking guard's recorded refusals"}
    )
    attempts_before_resolution = counts(
        "Resolved cases by the number of inbound contacts, on any channel, up to the resolution"
    )
    channels_before_resolution = counts(
        "Resolved cases by how many distinct channels those contacts came through"
    )
    customers_with_unresolved_attempts = ma.fields.Integer(
        metadata={
            "description": "Customers with an inbound contact in the period recorded as "
            "unresolved or needing follow-up: they had to try again"
        }
    )
    visits_by_outcome = counts(
        "Visits whose attempt ended in the period: completed, no_access, incomplete"
    )
    plans = ma.fields.Nested(PlansSchema)
    messages = counts("Customer messages created in the period, by sent and failed")
