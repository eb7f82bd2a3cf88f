"""Use cases for the review list: messages no case matched, and an agent attaching one."""

from flask import current_app
from sqlalchemy import select

from app.auth.principal import Principal
from app.cases.service import get_case
from app.common.paging import Page, paginate
from app.errors import Conflict, NotFound
from app.extensions import db
from app.inbound.mime import parse_email
from app.inbound.models import InboundChannel, InboundMessage, InboundStatus
from app.inbound.service import Content, Received, email_content, record
from app.inbound.sms import Sms, media_fetcher, sms_content


def list_unmatched(*, page: int, page_size: int) -> Page:
    query = (
        select(InboundMessage)
        .where(InboundMessage.status == InboundStatus.UNMATCHED)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
    )
    return paginate(query, page=page, page_size=page_size)


def attach_unmatched(message_id: int, *, case_number: str, actor: Principal) -> Received:
    """Put a kept message on the case an agent chose, photos and all; once."""
    earlier = _get(message_id)
    content = _content_of(earlier) if earlier.status == InboundStatus.UNMATCHED else None
    row = _get(message_id)
    case = get_case(case_number)
    if row.status != InboundStatus.UNMATCHED or content is None:
        if row.case_id == case.id:
            return Received(row, created=False)
        on = row.case.number if row.case else "another case"
        raise Conflict(f"Inbound message {message_id} is already on case {on}.")
    return record(content, case, row=row, actor=actor)


def _get(message_id: int) -> InboundMessage:
    row = db.session.get(InboundMessage, message_id)
    if row is None:
        raise NotFound(f"Inbound message {message_id} does not exist.")
    return row


def _content_of(row: InboundMessage) -> Content:
    """Parsed again from the kept bytes; an MMS's media are fetched now, before any lock."""
    if row.channel == InboundChannel.EMAIL:
        return email_content(parse_email(row.raw or b""))
    return sms_content(Sms.from_bytes(row.raw or b""), fetcher=media_fetcher(current_app.config))
