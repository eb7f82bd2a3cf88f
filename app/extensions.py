"""Extension objects, created unbound and bound to an app in create_app."""

from flask import g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.db import Database
from app.web import Api

db = Database()
api = Api()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@limiter.request_filter
def _has_verified_token() -> bool:
    """Rate limits guard what anonymous callers reach: sign-in and customer links.

    A request whose bearer token checked out (authentication runs first) has no limit to
    count, and skipping the limiter's bookkeeping saves a hot read a good share of its time.
    """
    return "user_id" in g
