"""/c/{token}: the customer's page, server-rendered for a phone, no JavaScript needed.

Forms post back to the same address; the token in it is the secret, so another site cannot
forge a post without already holding the link.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.portal import service
from app.portal.guards import limit_portal, no_store
from app.portal.schemas import PageArgsSchema, PageConfirmFormSchema, PageNoteFormSchema
from app.portal.service import LinkInvalid
from app.portal.view import case_page
from app.portal.wording import moment
from app.web import Blueprint

pages = Blueprint(
    "portal_page",
    __name__,
    template_folder="templates",
    description="The customer's page (HTML for a phone; the signed link is the credential)",
)
pages.after_request(no_store)
limit_portal(pages)


@pages.app_template_filter("local")
def local_time(value: datetime, zone: str) -> str:
    return moment(value, ZoneInfo(zone))


@pages.errorhandler(LinkInvalid)
def link_invalid(error: LinkInvalid) -> tuple[str, int]:
    return render_template("portal/gone.html", detail=error.detail), 404


NO_LOGIN = {"security": []}
HTML = {"text/html": {"schema": {"type": "string"}}}
GONE = {"description": "The link is not valid (any more): whom to ask instead", "content": HTML}
PAGE = {"responses": {200: {"description": "The case page", "content": HTML}, 404: GONE}}
LOCATION = {"Location": {"schema": {"type": "string"}}}
BACK = {"description": "Back to the page (post/redirect/get)", "headers": LOCATION}
FORM_POST = {"responses": {303: BACK, 404: GONE}}


@pages.route("/c/<token>", methods=["GET"])
@pages.arguments(PageArgsSchema, location="query")
@pages.doc(**NO_LOGIN, **PAGE)
def case(args: dict[str, str | None], token: str) -> str:
    """The customer's page: visits, confirm, notes"""
    return render_template(
        "portal/case.html",
        token=token,
        case=case_page(service.case_for_token(token)),
        terms_version=current_app.config["PORTAL_TERMS_VERSION"],
        done=args["done"],
    )


@pages.route("/c/<token>/confirm", methods=["POST"])
@pages.arguments(PageConfirmFormSchema, location="form")
@pages.doc(**NO_LOGIN, **FORM_POST)
def confirm(form: dict[str, Any], token: str) -> BaseResponse:
    """Confirm the appointment from the page's form"""
    service.confirm_appointment(token, **form)
    return _back(token, "confirmed")


@pages.route("/c/<token>/notes", methods=["POST"])
@pages.arguments(PageNoteFormSchema, location="form")
@pages.doc(**NO_LOGIN, **FORM_POST)
def note(form: dict[str, str], token: str) -> BaseResponse:
    """Leave a note from the page's form"""
    text = form["text"].strip()
    if text:
        service.add_note(token, text=text[:4000])
    return _back(token, "noted" if text else None)


def _back(token: str, done: str | None) -> BaseResponse:
    """Post/redirect/get, so reloading the page does not send the form twice."""
    return redirect(url_for("portal_page.case", token=token, done=done), code=303)
