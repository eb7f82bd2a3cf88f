"""Default settings; every one can be overridden by an environment variable FIRSTFIX_<NAME>."""

from pathlib import Path
from typing import Any

SMS_PROVIDER = ("SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM")
INSECURE_SECRET_KEY = "dev-only-insecure-secret-key-change-me-in-production"
ENVIRONMENTS = ("development", "testing", "production")
# HS256 keys shorter than its 32-byte hash can be brute-forced from one token.
MIN_SECRET_BYTES = 32


def defaults(instance_path: str) -> dict[str, Any]:
    """Settings that work on a laptop with nothing installed but Python."""
    instance = Path(instance_path)
    return {
        "ENV": "development",
        "SECRET_KEY": INSECURE_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{instance / 'firstfix.db'}",
        # A round trip before every request's first query, to catch connections a proxy or a
        # failover dropped. Off: a dead connection fails one request and the pool reconnects.
        "DATABASE_PRE_PING": False,
        # PostgreSQL: workers keep the hottest rows until a NOTIFY says they changed (see
        # app/watched_rows.py). Off behind a pooler that cannot LISTEN (PgBouncer transactions).
        "LISTEN_FOR_CHANGES": True,
        "MEDIA_ROOT": str(instance / "media"),
        "PUBLIC_URL": "http://localhost:5000",
        "PHONE_REGION": "US",
        "TOKEN_TTL_SECONDS": 12 * 3600,
        "PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY",
        "LOGIN_RATE_LIMIT": "10 per minute",
        # Per account, whatever the address: guesses shared out over many clients.
        "LOGIN_ACCOUNT_RATE_LIMIT": "20 per hour",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "STORAGE": "local",
        "S3_BUCKET": None,
        "S3_ENDPOINT_URL": None,
        "S3_REGION": None,
        "MAX_PHOTO_BYTES": 25 * 1024 * 1024,
        "MAX_PHOTO_PIXELS": 50_000_000,
        "UPLOAD_URL_TTL_SECONDS": 15 * 60,
        "DOWNLOAD_URL_TTL_SECONDS": 15 * 60,
        # The technician's day is cached per change-feed number, and at most this long (what
        # the feed does not cover: catalog names, and photo links that age).
        "DAY_CACHE_SECONDS": 5 * 60,
        "DAY_CACHE_ENTRIES": 2048,
        "CACHE_URL": None,
        "PORTAL_LINK_DAYS": 30,
        "PORTAL_LINK_MAX_DAYS": 90,
        "PORTAL_TERMS_VERSION": "2026-11",
        "PORTAL_TOKEN_RATE_LIMIT": "60 per minute",
        "PORTAL_ADDRESS_RATE_LIMIT": "300 per minute",
        "BROKER_URL": None,
        # Jobs (plan solves) run in worker processes the app starts; "thread" is for tests.
        "JOB_RUNNER": "process",
        "JOB_WORKERS": 2,
        "PLAN_TIME_LIMIT_SECONDS": 30,
        # Solver processes per plan part; Celery's prefork workers may not start any, keep 1.
        "PLAN_SOLVER_WORKERS": 1,
        # No SMTP server set: each message is written as an .eml file to MAIL_DIR instead.
        "SMTP_URL": None,
        "MAIL_DIR": str(instance / "mail"),
        "MAIL_FROM": "FirstFix <no-reply@firstfix.example>",
        "SMS_SINK_PATH": str(instance / "sms.jsonl"),
        # Inbound channels: a mail provider's hook or pipe may authenticate with this secret
        # (Bearer, or as the Basic password) instead of an agent's token.
        "INBOUND_EMAIL_SECRET": None,
        "INBOUND_MAX_BYTES": 40 * 1024 * 1024,
        # The SMS provider's account (Twilio: account SID and auth token). The token checks
        # X-Twilio-Signature on inbound SMS, fetches MMS media and sends through SMS_URL.
        "SMS_ACCOUNT_SID": None,
        "SMS_AUTH_TOKEN": None,
        # Set (https://api.twilio.com) to send SMS through the provider, from SMS_FROM;
        # unset, SMS are appended to SMS_SINK_PATH.
        "SMS_URL": None,
        "SMS_FROM": None,
        "RELAY_ENABLED": True,
        "RELAY_INTERVAL_SECONDS": 5,
        "RELAY_BATCH_SIZE": 10,
        "RELAY_LEASE_SECONDS": 45,
        "RELAY_MAX_ATTEMPTS": 8,
        "RELAY_RETRY_BASE_SECONDS": 30,
        "DELIVERY_TIMEOUT_SECONDS": 10,
        "WEBHOOK_RETRY_HOURS": 72,
        "WEBHOOK_ALLOW_PRIVATE": False,
        # The board's map draws its routes over these tiles when set, e.g.
        # "https://tile.example.org/{z}/{x}/{y}.png"; unset, the routes stand on their own.
        "MAP_TILES_URL": None,
        "API_TITLE": "FirstFix",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Served by FirstFix itself (app/docs_assets.py): the docs page works offline.
        "OPENAPI_SWAGGER_UI_URL": "/docs-assets/swagger-ui/",
        "API_SPEC_OPTIONS": {
            "security": [{"bearerAuth": []}],
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                    "calendarToken": {
                        "type": "apiKey",
                        "in": "query",
                        "name": "token",
                        "description": "A calendar app cannot send headers: the feed's own "
                        "token, from POST /me/calendar-token, rides in its address",
                    },
                    "basicAuth": {"type": "http", "scheme": "basic"},
                }
            },
        },
    }


def validate(config: dict[str, Any]) -> None:
    """Refuse to run a production server that anyone could forge tokens for.

    ENV is folded to lower case in place: `Production` or `PRODUCTION` must not start a server
    that skips the production checks, and a value that is none of ENVIRONMENTS (`prod`) is
    refused rather than taken for development.
    """
    environment = str(config["ENV"]).strip().lower()
    if environment not in ENVIRONMENTS:
        raise RuntimeError(
            f"FIRSTFIX_ENV is '{config['ENV']}'; set it to one of: {', '.join(ENVIRONMENTS)}"
        )
    config["ENV"] = environment
    if environment == "production":
        _refuse_weak_secret(str(config["SECRET_KEY"]))
    if config["RELAY_LEASE_SECONDS"] < 2 * config["DELIVERY_TIMEOUT_SECONDS"]:
        raise RuntimeError(
            "FIRSTFIX_RELAY_LEASE_SECONDS must outlast a slow delivery with room to spare "
            "(at least 2 x DELIVERY_TIMEOUT_SECONDS), or messages are sent twice"
        )
    if config["ENV"] == "production" and config["WEBHOOK_ALLOW_PRIVATE"]:
        raise RuntimeError("FIRSTFIX_WEBHOOK_ALLOW_PRIVATE is for tests; it opens SSRF holes")
    if 2 * config["DAY_CACHE_SECONDS"] > config["DOWNLOAD_URL_TTL_SECONDS"]:
        raise RuntimeError(
            "FIRSTFIX_DAY_CACHE_SECONDS must be at most half of DOWNLOAD_URL_TTL_SECONDS, "
            "or phones get photo links from the cache that are about to expire"
        )
    if config["JOB_RUNNER"] not in ("process", "thread"):
        raise RuntimeError("FIRSTFIX_JOB_RUNNER must be 'process' (or 'thread' in tests)")
    if config["JOB_RUNNER"] == "thread" and not config.get("TESTING"):
        raise RuntimeError(
            "FIRSTFIX_JOB_RUNNER=thread is for tests: a solve on a thread of a web worker "
            "freezes every other request; use 'process' or a Celery broker"
        )
    missing = [name for name in SMS_PROVIDER if not config[name]]
    if config["SMS_URL"] and missing:
        raise RuntimeError(
            f"FIRSTFIX_SMS_URL is set but not FIRSTFIX_{', FIRSTFIX_'.join(missing)}"
        )
    if config["STORAGE"] == "s3" and not config["S3_BUCKET"]:
        raise RuntimeError("FIRSTFIX_STORAGE is 's3' but FIRSTFIX_S3_BUCKET is not set")


def _refuse_weak_secret(secret: str) -> None:
    if secret == INSECURE_SECRET_KEY:
        raise RuntimeError(
            "FIRSTFIX_SECRET_KEY is still the development default; "
            "set it to a long random value before running in production"
        )
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(
            f"FIRSTFIX_SECRET_KEY is {len(secret.encode())} bytes; production needs at least "
            f"{MIN_SECRET_BYTES}; make one with: "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
