"""One time-ordered list of everything on a case, fed by every slice that adds to it.

Each slice registers a source: a SELECT giving, for one case, rows of
(kind, ref_id, at, channel, actor, summary). The timeline is their UNION ALL, ordered and
paginated in the database, so a long case costs one query per page whatever its size.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.engine import Row

from app.auth.models import User
from app.cases.models import Interaction
from app.common.paging import Page
from app.extensions import db

_SOURCES: list[Callable[[int], Select[Any]]] = []


def timeline_source(source: Callable[[int], Select[Any]]) -> Callable[[int], Select[Any]]:
    """Register a slice's contribution; the SELECT must name its columns like the others."""
    _SOURCES.append(source)
    return source


def case_timeline(case_id: int, *, page: int, page_size: int) -> Page:
    entries = _entries(case_id)
    total = db.session.scalar(select(func.count()).select_from(entries))
    rows = db.session.execute(
        select(entries)
        .order_by(entries.c.at, entries.c.kind, entries.c.ref_id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    return Page([_as_entry(row) for row in rows], total or 0)


def counts_by_kind(case_id: int) -> dict[str, int]:
    entries = _entries(case_id)
    rows = db.session.execute(select(entries.c.kind, func.count()).group_by(entries.c.kind))
    return {kind: count for kind, count in rows}


def _entries(case_id: int) -> Any:
    return union_all(*(source(case_id) for source in _SOURCES)).subquery("timeline")


def _as_entry(row: Row[Any]) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "id": row.ref_id,
        "at": row.at,
        "channel": row.channel,
        "who": row.actor,
        "summary": row.summary,
    }


@timeline_source
def interactions(case_id: int) -> Select[Any]:
    return (
        select(
            literal("interaction").label("kind"),
            Interaction.id.label("ref_id"),
            Interaction.occurred_at.label("at"),
            Interaction.channel.label("channel"),
            func.coalesce(User.email, Interaction.sender).label("actor"),
            Interaction.summary.label("summary"),
        )
        .outerjoin(User, User.id == Interaction.recorded_by_id)
        .where(Interaction.case_id == case_id)
    )
