"""One page of a query: the items asked for and how many there are in all."""

from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, func, select

from app.extensions import db

T = TypeVar("T")


class Page(NamedTuple):
    items: list[Any]
    total: int


def paginate(query: Select[Any], *, page: int, page_size: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page(list(items), total or 0)
