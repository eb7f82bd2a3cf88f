"""Which case an inbound message belongs to, in the issue's order, and who its sender is.

1. a case number in the subject or body (any letter case, with or without dashes);
2. a reply to a message FirstFix sent (In-Reply-To / References) or to one it received;
3. the sender is a customer: their single open case (one is opened if none; 409 if several);
4. the sender is a technician: the case of their visit that day.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.cases.intake import case_of_customer
from app.cases.models import Case, Channel
from app.cases.numbers import canonical_case_number
from app.common.contact import InvalidContact, normalise_phone
from app.customers.service import find_customers
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.inbound.models import InboundMessage
from app.notifications.models import Notification
from app.photos.models import PhotoSource
from app.technicians.models import Technician
from app.visits.models import Visit

CASE_NUMBER = re.compile(r"\bFF[\s\-_.]?[0-9A-Z]{4}[\s\-_.]?[0-9A-Z]{4}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Sender:
    """Who wrote: the photo source and, for staff and technicians, their user account."""

    address: str
    source: PhotoSource
    user_id: int | None = None


def case_by_number(*texts: str | None) -> Case | None:
    """The first existing case whose number appears, subject before body."""
    for text in texts:
        for typed in CASE_NUMBER.findall(text or ""):
            canonical = canonical_case_number(typed)
            case = canonical and db.session.scalar(select(Case).where(Case.number == canonical))
            if case:
                return case
    return None


def case_by_thread(message_ids: tuple[str, ...]) -> Case | None:
    """A reply to our own mail (Message-ID <delivery_id@domain>) or to a message we received."""
    for message_id in message_ids:
        sent = db.session.scalar(
            select(Notification.case_id).where(
                Notification.delivery_id == message_id.partition("@")[0][:36]
            )
        )
        received = sent or db.session.scalar(
            select(InboundMessage.case_id).where(
                InboundMessage.external_id == message_id, InboundMessage.case_id.is_not(None)
            )
        )
        if received:
            return db.session.get(Case, received)
    return None


def case_by_customer(
    *, email: str | None = None, phone: str | None = None, title: str
) -> Case | None:
    customers = find_customers(email=email, phone=phone)
    if not customers:
        return None
    if len(customers) > 1:
        raise Conflict(
            "The sender belongs to several customers; attach the message from the review list.",
            customer_ids=[customer.id for customer in customers],
        )
    channel = Channel.EMAIL if email else Channel.SMS
    return case_of_customer(customers[0], channel=channel, title=title)


def case_by_technician(*, email: str | None = None, phone: str | None = None) -> Case | None:
    """The case of the technician's visit on their local today; 409 if they have several."""
    technician = _technician(email=email, phone=phone)
    if technician is None:
        return None
    zone = ZoneInfo(technician.timezone)
    today = utcnow().astimezone(zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone)
    cases = db.session.scalars(
        select(Case)
        .join(Visit, Visit.case_id == Case.id)
        .where(
            Visit.technician_id == technician.id,
            Visit.start_at >= start,
            Visit.start_at < start + timedelta(days=1),
        )
        .distinct()
        .order_by(Case.id)
    ).all()
    if len(cases) > 1:
        raise Conflict(
            f"{technician.name} has visits on {len(cases)} cases today; put the case number "
            "in the subject.",
            candidates=[{"number": c.number, "title": c.title} for c in cases],
        )
    return cases[0] if cases else None


def sender_of(*, email: str | None = None, phone: str | None = None) -> Sender:
    """Technician, staff (agent) or, for anyone else, customer."""
    address = email or phone or ""
    technician = _technician(email=email, phone=phone)
    user_email = technician.email if technician else email
    user = user_email and db.session.scalar(
        select(User).where(func.lower(User.email) == user_email.lower())
    )
    user_id = user.id if user else None
    if technician is not None:
        return Sender(address, PhotoSource.TECHNICIAN, user_id)
    if user and user.role != Role.TECHNICIAN:
        return Sender(address, PhotoSource.AGENT, user_id)
    return Sender(address, PhotoSource.CUSTOMER)


def _technician(*, email: str | None, phone: str | None) -> Technician | None:
    active = select(Technician).where(Technician.active)
    if email:
        return db.session.scalar(active.where(func.lower(Technician.email) == email.lower()))
    if not phone:
        return None
    # Technicians' phones are stored as typed; they are few, so they are compared folded here.
    with_phones = db.session.scalars(active.where(Technician.phone.is_not(None)))
    return next((t for t in with_phones if _e164(t.phone) == _e164(phone)), None)


def _e164(phone: str | None) -> str | None:
    try:
        return normalise_phone(phone or "", region=current_app.config["PHONE_REGION"])
    except InvalidContact:
        return None
