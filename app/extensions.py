"""Extension objects, created unbound and bound to an app in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.db import Database
from app.web import Api

db = Database()
api = Api()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
