"""Use cases: an inbound e-mail onto its case, the review list of unmatched ones, attaching one.

Flush only: the edge (request, SMTP session) commits. A message that matches nothing raises
`Unmatched`; the edge then rolls back and calls `keep_unmatched`, so the 422 still leaves the
message in the review list.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.principal import Principal
from app.cases.interactions import add_interaction
from app.cases.models import Case, Channel, Direction
from app.db import utcnow
from app.errors import Conflict, RuleViolation
from app.extensions import db
from app.inbound import matching
from app.inbound.mime import Attachment, ParsedEmail, parse_email
from app.inbound.models import InboundChannel, InboundMessage, InboundStatus
from app.photos.models import Photo
from app.photos.received import add_received_photo
from app.photos.service import Uploader


class Unmatched(RuleViolation):
    """No case or customer fits; the message is kept for an agent to attach."""

    slug = "inbound-unmatched"

    def __init__(self, detail: str, *, row: InboundMessage) -> None:
        super().__init__(detail)
        self.row = row


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool


@dataclass(frozen=True)
class Content:
    """What any channel's message adds to a case, once parsed."""

    channel: InboundChannel
    key: str
    sender: str
    subject: str | None
    summary: str
    body: str
    attachments: tuple[Attachment, ...]
    refused: tuple[dict[str, Any], ...] = ()  # attachments that never arrived (MMS fetches)


def receive_email(raw: bytes, *, ambiguous_to_review: bool = False) -> Received:
    """A sender with several open cases is a 409 with the candidates for an HTTP caller that
    can choose; the SMTP listener cannot answer that, so it passes `ambiguous_to_review`."""
    parsed = parse_email(raw)
    content = email_content(parsed)
    row = claim(content)
    if row.status != InboundStatus.UNMATCHED:
        return Received(row, created=False)
    try:
        case = _match_email(parsed)
    except Conflict as ambiguous:
        if not ambiguous_to_review:
            raise
        row = unmatched_row(content, raw, reason=ambiguous.detail)
        raise Unmatched(ambiguous.detail, row=row) from ambiguous
    if case is None:
        raise Unmatched(_UNMATCHED_EMAIL, row=unmatched_row(content, raw))
    return record(content, case, row=row)


_UNMATCHED_EMAIL = (
    "No case number, reply thread, customer or technician matches this message; it is kept "
    "in GET /api/v1/inbound/unmatched for an agent to attach."
)


def email_content(parsed: ParsedEmail) -> Content:
    first_line = next((line for line in parsed.reply.splitlines() if line.strip()), "")
    return Content(
        channel=InboundChannel.EMAIL,
        key=parsed.key,
        sender=parsed.sender,
        subject=parsed.subject,
        summary=(parsed.subject or first_line or "E-mail")[:500],
        body=parsed.reply,
        attachments=parsed.attachments,
    )


def _match_email(parsed: ParsedEmail) -> Case | None:
    return (
        matching.case_by_number(parsed.subject, parsed.text)
        or matching.case_by_thread(parsed.thread_ids)
        or matching.case_by_customer(
            email=parsed.sender, title=parsed.subject or "E-mail from customer"
        )
        or matching.case_by_technician(email=parsed.sender)
    )


def recorded(channel: str, key: str) -> InboundMessage | None:
    return db.session.scalar(
        select(InboundMessage).where(
            InboundMessage.channel == channel, InboundMessage.external_id == key
        )
    )


def claim(content: Content) -> InboundMessage:
    """The message's row, taken before anything is matched or opened for it.

    A new row waits as unmatched until `record` fills it (an Unmatched rolls it back). A
    concurrent delivery of the same message waits here on the unique key (PostgreSQL; SQLite
    runs receives one at a time) and then finds the first one's row, so it opens no case.
    """
    earlier = recorded(content.channel, content.key)
    if earlier is not None:
        return earlier
    row = InboundMessage(
        channel=content.channel,
        external_id=content.key,
        sender=content.sender,
        status=InboundStatus.UNMATCHED,
        photo_ids=[],
        not_stored=[],
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        earlier = recorded(content.channel, content.key)
        if earlier is None:
            raise
        return earlier
    return row


def record(
    content: Content, case: Case, *, row: InboundMessage, actor: Principal | None = None
) -> Received:
    """Flush the message onto the case, in its claimed row."""
    _fill(row, content, case, actor)
    sender = matching.sender_of(**{_key_kind(content): content.sender})
    row.interaction_id = add_interaction(
        case,
        actor=actor,
        channel=Channel(content.channel),
        direction=Direction.INBOUND,
        summary=content.summary,
        body=content.body,
        external_ref=content.key[:200],
        sender=content.sender,
    ).id
    row.photo_ids, row.not_stored = _photos(content, case, sender)
    db.session.flush()
    return Received(row, created=True)


def _fill(row: InboundMessage, content: Content, case: Case, actor: Principal | None) -> None:
    row.sender, row.subject, row.case_id, row.raw = content.sender, content.subject, case.id, None
    row.reason = None
    if actor is None:
        row.status = InboundStatus.MATCHED
    else:
        row.status, row.attached_by_id, row.attached_at = (
            InboundStatus.ATTACHED,
            actor.user_id,
            utcnow(),
        )


def _key_kind(content: Content) -> str:
    return "email" if content.channel == InboundChannel.EMAIL else "phone"


def _photos(
    content: Content, case: Case, sender: matching.Sender
) -> tuple[list[int], list[dict[str, Any]]]:
    photo_ids: list[int] = []
    not_stored = list(content.refused)
    uploader = Uploader(sender.source, sender.user_id)
    for attachment in content.attachments:
        if attachment.is_image and attachment.data:
            photo = add_received_photo(
                case,
                uploader=uploader,
                sender=content.sender,
                filename=attachment.filename,
                content_type=attachment.content_type,
                data=attachment.data,
            )
            photo_ids.append(photo.id)
        else:
            not_stored.append(
                {
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "size_bytes": len(attachment.data),
                    "reason": "empty" if not attachment.data else "not an image",
                }
            )
    return photo_ids, not_stored


def unmatched_row(
    content: Content,
    raw: bytes,
    *,
    reason: str = "no case number, thread, customer or technician matched",
) -> InboundMessage:
    """Unsaved: the edge writes it after rolling back (see keep_unmatched)."""
    return InboundMessage(
        channel=content.channel,
        external_id=content.key,
        sender=content.sender,
        subject=content.subject,
        status=InboundStatus.UNMATCHED,
        reason=reason,
        raw=raw,
        photo_ids=[],
        not_stored=[],
    )


def keep_unmatched(error: Unmatched) -> InboundMessage:
    """Flush the unmatched message into the review list once; a redelivery finds it there."""
    kept = recorded(error.row.channel, error.row.external_id)
    if kept is None:
        kept = error.row
        db.session.add(kept)
        db.session.flush()
    return kept


def describe(received: Received) -> dict[str, Any]:
    """The answer to a delivery; built from the stored row, so a redelivery gets the same body."""
    row = received.message
    photos = db.session.scalars(
        select(Photo).where(Photo.id.in_(row.photo_ids or [])).order_by(Photo.id)
    ).all()
    return {
        "id": row.id,
        "case_number": row.case.number if row.case else None,
        "status": row.status,
        "interaction": row.interaction,
        "photos": list(photos),
        "not_stored": row.not_stored or [],
    }
