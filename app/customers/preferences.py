"""Use cases for a customer's technician preferences: an excluded one is never sent."""

from sqlalchemy import select

from app.auth.principal import Principal
from app.customers.models import PreferenceKind, PreferenceSource, TechnicianPreference
from app.customers.service import get_customer
from app.errors import Conflict, NotFound
from app.extensions import db
from app.technicians.models import Technician


def add_technician_preference(
    customer_id: int, *, technician_id: int, kind: str, reason: str, actor: Principal
) -> TechnicianPreference:
    get_customer(customer_id)
    if db.session.get(Technician, technician_id) is None:
        raise NotFound(f"Technician {technician_id} does not exist.")
    earlier = db.session.scalar(
        select(TechnicianPreference).where(
            TechnicianPreference.customer_id == customer_id,
            TechnicianPreference.technician_id == technician_id,
        )
    )
    if earlier is not None:
        raise Conflict(
            f"Customer {customer_id} already marked technician {technician_id} as {earlier.kind}.",
            preference_id=earlier.id,
        )
    preference = TechnicianPreference(
        customer_id=customer_id,
        technician_id=technician_id,
        kind=kind,
        reason=reason,
        recorded_by_id=actor.user_id,
    )
    db.session.add(preference)
    db.session.flush()
    return preference


def list_technician_preferences(customer_id: int) -> list[TechnicianPreference]:
    get_customer(customer_id)
    return list(
        db.session.scalars(
            select(TechnicianPreference)
            .where(TechnicianPreference.customer_id == customer_id)
            .order_by(TechnicianPreference.id)
        )
    )


def exclude_technician(
    customer_id: int, *, technician_id: int, reason: str, source: str, case_id: int | None
) -> TechnicianPreference:
    """Flush "never send this technician again"; an earlier preference for them becomes it.

    The customer's own word outranks an older "preferred", so it is overwritten, keeping the
    newest reason and where it was said (source, case) as the provenance.
    """
    preference = db.session.scalar(
        select(TechnicianPreference).where(
            TechnicianPreference.customer_id == customer_id,
            TechnicianPreference.technician_id == technician_id,
        )
    ) or TechnicianPreference(customer_id=customer_id, technician_id=technician_id)
    preference.kind = PreferenceKind.EXCLUDED
    preference.reason = reason
    preference.source = PreferenceSource(source)
    preference.case_id = case_id
    preference.recorded_by_id = None
    db.session.add(preference)
    db.session.flush()
    return preference
