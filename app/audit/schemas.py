"""Shapes of audit entries and their query."""

import marshmallow as ma

from app.audit.models import AuditAction
from app.common.fields import AwareDateTime


class AuditArgsSchema(ma.Schema):
    entity = ma.fields.String(metadata={"description": "A table name, e.g. visits"})
    entity_id = ma.fields.String()
    actor = ma.fields.Integer(metadata={"description": "A user id"})
    first = ma.fields.Date(data_key="from", metadata={"description": "First UTC day, included"})
    last = ma.fields.Date(data_key="to", metadata={"description": "Last UTC day, included"})


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    at = AwareDateTime()
    actor_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The user; null for jobs and commands"}
    )
    action = ma.fields.String(metadata={"enum": list(AuditAction)})
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    changes = ma.fields.Dict(
        metadata={
            "description": "Field -> {before, after}; secrets show as [redacted], bytes as "
            "their length"
        }
    )
    request_id = ma.fields.String(
        allow_none=True, metadata={"description": "X-Request-ID of the request, or one made up"}
    )
