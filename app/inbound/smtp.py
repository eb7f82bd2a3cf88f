"""An SMTP listener (aiosmtpd) for a relay host's `transport`: each message goes to receive_email.

This handler is the edge for SMTP, as a request is for HTTP: it commits or rolls back. A message
that matches nothing is accepted (250) and kept for review, since bouncing a customer's mail
helps nobody; a message we can never take (no From) is refused with 550.
"""

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from app.errors import DomainError
from app.extensions import db
from app.inbound import service

log = logging.getLogger(__name__)


class InboundMail:
    """aiosmtpd handler: the database work runs on a worker thread, in an app context of its own."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        return await asyncio.get_running_loop().run_in_executor(None, self.deliver, bytes(raw))

    def deliver(self, raw: bytes) -> str:
        with self.app.app_context():
            try:
                with db.unit_of_work():
                    received = service.receive_email(raw, ambiguous_to_review=True)
                    case = received.message.case
                    return f"250 Recorded on case {case.number if case else '?'}"
            except service.Unmatched as unmatched:
                with db.unit_of_work():
                    kept = service.keep_unmatched(unmatched)
                return f"250 Kept for review as inbound message {kept.id}"
            except DomainError as error:
                return f"550 {error.detail}"
            except Exception:
                log.exception("inbound mail failed")
                return "451 Could not record the message now; try again later"
            finally:
                db.session.remove()


def mail_listener(app: Flask, *, host: str, port: int) -> Controller:
    """Not started: the caller starts and stops it."""
    return Controller(
        InboundMail(app),
        hostname=host,
        port=port,
        data_size_limit=int(app.config["INBOUND_MAX_BYTES"]),
    )
