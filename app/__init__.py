"""FirstFix: one case per customer problem, and a dispatcher that cannot send the wrong visit."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app import config as settings
from app import extensions, jobs, security_headers
from app.auth.access import authenticate_request
from app.board.pages import pages as board_pages
from app.cli import register_cli
from app.docs_assets import docs_assets
from app.edge import FirstFix
from app.errors import register_error_handlers
from app.guards import StoredIntConverter, refuse_non_json_bodies, refuse_unstorable_input
from app.health import health
from app.insights.pages import pages as insights_pages
from app.portal.pages import pages as portal_pages
from app.slices import blueprints
from app.web import NoCookieSessions


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Defaults, then FIRSTFIX_* environment variables, then `config` (tests) win."""
    app = FirstFix(__name__, instance_relative_config=True)
    app.config.from_mapping(settings.defaults(app.instance_path))
    app.config.from_prefixed_env("FIRSTFIX")
    app.config.from_mapping(config or {})
    settings.validate(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.session_interface = NoCookieSessions()
    app.url_map.converters["int"] = StoredIntConverter  # before any route is added
    extensions.db.init_app(app)
    jobs.init_app(app, factory=create_app)
    app.before_request(authenticate_request)  # before the limiter: see extensions.limiter
    extensions.limiter.init_app(app)
    extensions.api.init_app(app)
    register_error_handlers(app)
    app.before_request(refuse_non_json_bodies)
    app.before_request(refuse_unstorable_input)
    security_headers.init_app(app)
    for page in (board_pages, insights_pages, docs_assets):  # the office's pages: not the API
        app.register_blueprint(page)
    for blueprint in [health, portal_pages, *blueprints()]:
        extensions.api.register_blueprint(blueprint)
    register_cli(app)
    return app
