"""Real receivers on loopback: an SMTP server (aiosmtpd) and an HTTP server checking signatures."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.notifications.models import Event
from app.notifications.outbox import notify_case_event
from app.notifications.service import subscribe_webhook

TOLERANCE_SECONDS = 300


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepted."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app, monkeypatch):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{port}")
    yield inbox
    controller.stop()


def verify_standard_webhook(secret, headers, body):
    """An implementation of the Standard Webhooks check written from the spec, not from ours."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    for candidate in headers["webhook-signature"].split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(signature), expected):
            return True
    return False


class Receiver:
    """What the loopback HTTP server saw; `status` is what it answers next."""

    def __init__(self):
        self.status = 204
        self.secret = None
        self.deliveries = []

    @property
    def ids(self):
        return [delivery["id"] for delivery in self.deliveries]


@pytest.fixture
def webhook_receiver(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {name.lower(): value for name, value in self.headers.items()}
            receiver.deliveries.append(
                {
                    "id": headers["webhook-id"],
                    "verified": verify_standard_webhook(receiver.secret, headers, body),
                    "payload": json.loads(body),
                    "path": self.path,
                }
            )
            self.send_response(receiver.status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/firstfix?src=test"
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribe(dispatcher, webhook_receiver):
    """Subscribe the loopback receiver; it learns the secret to verify signatures with."""

    def make(events=(Event.CASE_OPENED,)):
        subscription = subscribe_webhook(
            actor=dispatcher, url=webhook_receiver.url, events=list(events)
        )
        webhook_receiver.secret = subscription.secret
        return subscription

    return make


@pytest.fixture
def queue_case_opened():
    """What the case slice would do inside open_case: queue `case.opened` and commit."""

    def queue(case, **kwargs):
        notifications = notify_case_event(case, event=Event.CASE_OPENED, **kwargs)
        db.session.commit()
        return notifications

    return queue
