"""Use cases for interactions: every channel writes onto the one case, retries land once."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role
from app.auth.principal import Principal
from app.cases.models import Case, Channel, Interaction
from app.errors import Conflict, RuleViolation
from app.extensions import db


def add_interaction(
    case: Case,
    *,
    actor: Principal | None,
    channel: str,
    direction: str,
    summary: str,
    body: str | None = None,
    outcome: str | None = None,
    occurred_at: datetime | None = None,
    external_ref: str | None = None,
    sender: str | None = None,
) -> Interaction:
    """Flush one interaction onto the case; the caller owns the transaction."""
    interaction = Interaction(
        case_id=case.id,
        channel=Channel(channel),
        direction=direction,
        summary=summary,
        body=body,
        outcome=outcome,
        external_ref=external_ref,
        sender=sender,
        recorded_by_id=actor.user_id if actor else None,
    )
    if occurred_at is not None:
        interaction.occurred_at = occurred_at
    db.session.add(interaction)
    db.session.flush()
    return interaction


def record_interaction(case: Case, *, actor: Principal, **fields: Any) -> tuple[Interaction, bool]:
    """(interaction, created). The same (channel, external_ref) again returns the first one.

    A technician writes as a technician: their note must not pass for a customer's call.
    """
    if actor.role is Role.TECHNICIAN and fields["channel"] != Channel.TECHNICIAN:
        raise RuleViolation(
            "Technicians record notes on the 'technician' channel.",
            errors={"channel": ["Must be 'technician' for a technician."]},
        )
    earlier = already_recorded(fields["channel"], fields.get("external_ref"))
    if earlier is not None:
        return _replayed(earlier, case), False
    try:
        with db.session.begin_nested():  # a concurrent post of the same reference may win
            interaction = add_interaction(case, actor=actor, **fields)
    except IntegrityError:
        earlier = already_recorded(fields["channel"], fields.get("external_ref"))
        if earlier is None:
            raise
        return _replayed(earlier, case), False
    return interaction, True


def _replayed(earlier: Interaction, case: Case) -> Interaction:
    if earlier.case_id != case.id:
        raise Conflict(
            f"{earlier.channel} reference '{earlier.external_ref}' is already recorded on "
            f"another case ({earlier.case.number}); post it there or use a new reference.",
            case_number=earlier.case.number,
        )
    return earlier


def already_recorded(channel: str, external_ref: str | None) -> Interaction | None:
    if external_ref is None:
        return None
    return db.session.scalar(
        select(Interaction).where(
            Interaction.channel == channel, Interaction.external_ref == external_ref
        )
    )
