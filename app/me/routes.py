"""/me/...: the technician's own day, sync feed and calendar, as the phone app reads them."""

from typing import Any

from flask import Response, current_app, request, url_for
from flask.views import MethodView

from app.auth.access import (
    checks_own_account,
    current_principal,
    current_token_version,
    current_user_id,
    public,
    roles_required,
)
from app.auth.models import Role
from app.auth.service import retire_calendar_links
from app.me import cache, calendar, service
from app.me import changes as _changes  # noqa: F401 - registers the change-feed writer
from app.me.schemas import (
    CalendarArgsSchema,
    CalendarLinkSchema,
    DayArgsSchema,
    DayVisitSchema,
    SyncArgsSchema,
    SyncSchema,
)
from app.web import Blueprint

DAY_VISITS = DayVisitSchema(many=True)
DAY_ARGS = DayArgsSchema()  # an instance: webargs would build one from a class per request
blp = Blueprint("me", __name__, url_prefix="/api/v1", description="The technician's phone")


DAY_CACHE_CONTROL = "private, no-cache"  # the phone may keep it, but asks again each time
ICALENDAR = {
    "description": "The feed (RFC 5545)",
    "content": {"text/calendar": {"schema": {"type": "string"}}},
}


@blp.route("/me/visits")
@checks_own_account
class MyVisits(MethodView):
    @blp.arguments(DAY_ARGS, location="query")
    @blp.response(200, DayVisitSchema(many=True), headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="Not Modified: the copy sent as If-None-Match is current")
    def get(self, args: dict[str, Any]) -> Response:
        """My visits of a day in route order, with everything needed on site

        Send the ETag back as If-None-Match: an unchanged day costs no body.
        """
        day = service.find_day(
            current_user_id(), day=args["date"], token_version=current_token_version()
        )
        etag = day.key.etag
        if request.if_none_match.contains_weak(etag):
            response = current_app.response_class(status=304)
        else:
            body = cache.fetch(day.key, lambda: _serialised_day(day))
            response = current_app.response_class(body, mimetype="application/json")
        response.set_etag(etag)
        response.headers["Cache-Control"] = DAY_CACHE_CONTROL
        return response


@blp.route("/me/sync")
class MySync(MethodView):
    decorators = (roles_required(Role.TECHNICIAN),)

    @blp.arguments(SyncArgsSchema, location="query")
    @blp.response(200, SyncSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """What changed for me since the cursor: visits to store, tombstones to drop"""
        return service.sync_changes(current_principal(), since=args["since"])


@blp.route("/me/calendar-token")
class MyCalendarToken(MethodView):
    decorators = (roles_required(Role.TECHNICIAN),)

    @blp.response(201, CalendarLinkSchema)
    def post(self) -> dict[str, str]:
        """Get the private address of my calendar feed"""
        token = calendar.calendar_token(current_principal())
        return {"token": token, "url": url_for("me.MyCalendar", token=token, _external=True)}

    @blp.response(204)
    def delete(self) -> None:
        """Retire every address of my calendar given out so far (a lost phone, a shared link)"""
        retire_calendar_links(current_principal().user_id)


def _serialised_day(day: service.Day) -> bytes:
    """Dumped once per key, as flask-smorest would have: the cache stores these bytes."""
    return current_app.json.dumps(DAY_VISITS.dump(service.day_visits(day))).encode()


@blp.route("/me/calendar.ics")
@public
class MyCalendar(MethodView):
    @blp.arguments(CalendarArgsSchema, location="query")
    @blp.doc(security=[{"calendarToken": []}], responses={200: ICALENDAR})
    def get(self, args: dict[str, str]) -> Response:
        """My visits as an iCalendar feed; the token in the address is the credential"""
        feed = calendar.calendar_feed(args["token"])
        return current_app.response_class(feed, mimetype="text/calendar")
