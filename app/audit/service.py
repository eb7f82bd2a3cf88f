"""Reading the audit log: who changed what, newest first."""

from datetime import date
from typing import Any

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.common.paging import Page, paginate
from app.insights.period import Period


def list_entries(
    *,
    page: int,
    page_size: int,
    entity: str | None = None,
    entity_id: str | None = None,
    actor: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Page:
    query: Any = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    if actor is not None:
        query = query.where(AuditEntry.actor_id == actor)
    if first is not None:
        query = query.where(AuditEntry.at >= Period(first, first).start)
    if last is not None:
        query = query.where(AuditEntry.at < Period(last, last).end)
    return paginate(query, page=page, page_size=page_size)
