"""/c/{token}: the customer's page, server-rendered for a phone, no JavaScript needed.

Forms post back to the same address; the token in it is the secret, so another site cannot
forge a post without already holding the link.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.common.fields import stored_int
from app.portal import service
from app.portal.guards import limit_portal, no_store
from app.portal.service import LinkInvalid
from app.portal.view import case_page
from app.portal.wording import moment

pages = Blueprint("portal_page", __name__, template_folder="templates")
pages.after_request(no_store)
limit_portal(pages)


@pages.app_template_filter("local")
def local_time(value: datetime, zone: str) -> str:
    return moment(value, ZoneInfo(zone))


@pages.errorhandler(LinkInvalid)
def link_invalid(error: LinkInvalid) -> tuple[str, int]:
    return render_template("portal/gone.html", detail=error.detail), 404


@pages.get("/c/<token>")
def case(token: str) -> str:
    return render_template(
        "portal/case.html",
        token=token,
        case=case_page(service.case_for_token(token)),
        terms_version=current_app.config["PORTAL_TERMS_VERSION"],
        done=request.args.get("done"),
    )


@pages.post("/c/<token>/confirm")
def confirm(token: str) -> BaseResponse:
    visit_id = request.form.get("visit_id", type=stored_int)
    terms = request.form.get("terms_version", "")
    service.confirm_appointment(token, terms_version=terms, visit_id=visit_id)
    return _back(token, "confirmed")


@pages.post("/c/<token>/notes")
def note(token: str) -> BaseResponse:
    text = request.form.get("text", "").strip()
    if text:
        service.add_note(token, text=text[:4000])
    return _back(token, "noted" if text else None)


def _back(token: str, done: str | None) -> BaseResponse:
    """Post/redirect/get, so reloading the page does not send the form twice."""
    return redirect(url_for("portal_page.case", token=token, done=done), code=303)
