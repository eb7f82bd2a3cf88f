"""Use cases of the portal: issue and revoke links, read the case, confirm, notes, photos.

A customer has no account: the signed token is the authority. Every use case therefore starts
from ``case_for_token`` and every action is recorded on the case as a ``portal`` interaction.
"""

from typing import Any

from flask import current_app
from sqlalchemy import select

from app.auth.principal import Principal
from app.cases.interactions import add_interaction
from app.cases.models import Case, Channel, Direction
from app.cases.service import get_case
from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db
from app.photos import completion
from app.photos import service as photos
from app.photos.models import Photo, PhotoSource
from app.portal.models import PortalConfirmation
from app.portal.tokens import PortalLink, issue_portal_link, read_portal_token
from app.portal.view import case_page
from app.visits.lifecycle import ASSIGNABLE, FINISHED
from app.visits.models import Visit
from media import UploadTarget

CUSTOMER = photos.Uploader(PhotoSource.CUSTOMER)
SUMMARY_LENGTH = 500


class LinkInvalid(NotFound):
    slug = "portal-link-invalid"


def create_portal_link(
    number: str, *, actor: Principal, expires_in_days: int | None = None
) -> PortalLink:
    """A fresh link for the case; that it was issued (and until when) goes on the case."""
    case = get_case(number)
    _check_lifetime(expires_in_days)
    link = issue_portal_link(case, expires_in_days=expires_in_days)
    add_interaction(
        case,
        actor=actor,
        channel=Channel.PORTAL,
        direction=Direction.OUTBOUND,
        summary=f"Portal link issued, valid until {link.expires_at:%Y-%m-%d %H:%M} UTC",
    )
    db.session.flush()
    return link


def revoke_portal_links(number: str, *, actor: Principal) -> None:
    """Every link issued so far stops working; a new one can be issued right after."""
    case = get_case(number)
    case.link_version = Case.link_version + 1
    add_interaction(
        case,
        actor=actor,
        channel=Channel.PORTAL,
        direction=Direction.OUTBOUND,
        summary="All portal links revoked",
    )
    db.session.flush()


def case_for_token(token: str) -> Case:
    """The case a valid link points to; tampered, expired and revoked look the same (404).

    One answer for every failure tells someone guessing tokens nothing about which part failed.
    """
    claim = read_portal_token(token)
    case = db.session.get(Case, claim.case_id) if claim else None
    if claim is None or case is None or case.link_version != claim.version:
        raise LinkInvalid(
            "This link is not valid any more. Ask us for a new one: reply to our last message "
            "or call us."
        )
    return case


def portal_case(token: str) -> dict[str, Any]:
    return case_page(case_for_token(token))


def confirm_appointment(
    token: str, *, terms_version: str, visit_id: int | None = None
) -> tuple[PortalConfirmation, bool]:
    """(confirmation, created): the customer confirms the window and accepts these terms.

    Confirming the same window under the same terms again returns the first confirmation.
    """
    case = case_for_token(token)
    _check_terms(terms_version)
    visit = portal_visit(case, visit_id)
    if visit.status not in ASSIGNABLE:
        raise Conflict(f"This {visit.kind} is {visit.status}; there is nothing to confirm.")
    earlier = _confirmation(visit, terms_version)
    if earlier is not None:
        return earlier, False
    confirmation = PortalConfirmation(
        case_id=case.id,
        visit_id=visit.id,
        terms_version=terms_version,
        window_start=visit.window_start,
        window_end=visit.window_end,
    )
    db.session.add(confirmation)
    record_portal_action(
        case, f"Appointment confirmed for visit {visit.id}; terms {terms_version} accepted"
    )
    db.session.flush()
    return confirmation, True


def add_note(token: str, *, text: str) -> None:
    case = case_for_token(token)
    record_portal_action(case, text, body=text)
    db.session.flush()


def request_photo_upload(token: str, **fields: Any) -> tuple[Photo, UploadTarget]:
    """The photos slice's upload flow with the customer as uploader.

    The interaction is flushed first; request_upload's own commit then writes both.
    """
    case = case_for_token(token)
    record_portal_action(case, f"Photo sent: {fields.get('caption') or fields['filename']}")
    return photos.request_upload(case, uploader=CUSTOMER, **fields)


def complete_photo(token: str, photo_id: int) -> dict[str, Any]:
    case = case_for_token(token)
    photo = db.session.get(Photo, photo_id)
    if photo is None or photo.case_id != case.id or photo.source != PhotoSource.CUSTOMER:
        raise NotFound(f"Photo {photo_id} was not sent through this link.")
    return photos.describe(completion.complete_upload(photo))


def portal_visit(case: Case, visit_id: int | None) -> Visit:
    """The visit named, if it is this case's; else the next one still to happen."""
    if visit_id is not None:
        visit = db.session.get(Visit, visit_id)
        if visit is None or visit.case_id != case.id:
            raise NotFound(f"Visit {visit_id} is not part of this case.")
        return visit
    upcoming = db.session.scalar(
        select(Visit)
        .where(Visit.case_id == case.id, Visit.status.not_in(FINISHED))
        .order_by(Visit.window_start, Visit.id)
        .limit(1)
    )
    if upcoming is None:
        raise Conflict("There is no upcoming appointment on this case.")
    return upcoming


def record_portal_action(case: Case, summary: str, *, body: str | None = None) -> None:
    """What the customer did, on the case's record; flush only, the use case commits."""
    add_interaction(
        case,
        actor=None,
        channel=Channel.PORTAL,
        direction=Direction.INBOUND,
        summary=summary[:SUMMARY_LENGTH],
        body=body,
    )


def _confirmation(visit: Visit, terms_version: str) -> PortalConfirmation | None:
    return db.session.scalar(
        select(PortalConfirmation).where(
            PortalConfirmation.visit_id == visit.id,
            PortalConfirmation.terms_version == terms_version,
            PortalConfirmation.window_start == visit.window_start,
            PortalConfirmation.window_end == visit.window_end,
        )
    )


def _check_terms(terms_version: str) -> None:
    current = current_app.config["PORTAL_TERMS_VERSION"]
    if terms_version != current:
        raise Conflict(
            f"The terms changed (now version {current}); read them again before confirming.",
            current_terms_version=current,
        )


def _check_lifetime(expires_in_days: int | None) -> None:
    longest = current_app.config["PORTAL_LINK_MAX_DAYS"]
    if expires_in_days is not None and expires_in_days > longest:
        raise RuleViolation(
            f"A portal link may last at most {longest} days.",
            errors={"expires_in_days": [f"Must be at most {longest}."]},
        )
