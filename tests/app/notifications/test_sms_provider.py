"""SMS through the provider's Messages API: the `twilio` client against a loopback server that
answers as Twilio's API does (form POST to /2010-04-01/Accounts/{sid}/Messages.json, Basic auth,
JSON resource or error), so nothing between the relay and the wire is patched."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from app import create_app
from app.extensions import db
from app.notifications.relay import relay_once

SID, TOKEN, FROM = "AC" + "2" * 32, "provider-token", "+13035550000"


class Provider:
    def __init__(self):
        self.received = []
        self.answer = (201, None)  # status, Twilio error code


@pytest.fixture
def provider(app, monkeypatch):
    provider = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            form = parse_qs(self.rfile.read(int(self.headers["content-length"])).decode())
            auth = base64.b64decode(self.headers["Authorization"].split()[1]).decode()
            provider.received.append({"path": self.path, "auth": auth, **form})
            status, code = provider.answer
            if status == 201:
                body = {"sid": "SM" + "f" * 32, "status": "queued", "to": form["To"][0]}
            else:
                body = {"code": code, "message": "refused", "status": status}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = {
        "SMS_URL": f"http://127.0.0.1:{server.server_address[1]}",
        "SMS_ACCOUNT_SID": SID,
        "SMS_AUTH_TOKEN": TOKEN,
        "SMS_FROM": FROM,
    }
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms_only_case(create_customer, create_case):
    return create_case(create_customer(phones=["+1 303 555 0123"], emails=[]))


def test_an_sms_is_posted_to_the_messages_api_with_the_account_s_credentials(
    provider, sms_only_case, queue_case_opened
):
    (row,) = queue_case_opened(sms_only_case)
    relay_once()

    (sent,) = provider.received
    assert sent["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert sent["auth"] == f"{SID}:{TOKEN}"
    assert (sent["To"], sent["From"]) == (["+13035550123"], [FROM])
    assert sms_only_case.number in sent["Body"][0]
    db.session.refresh(row)
    assert row.status == "sent"


def test_a_provider_error_is_retried_and_an_invalid_number_is_not(
    provider, sms_only_case, queue_case_opened
):
    provider.answer = (503, 20503)
    (row,) = queue_case_opened(sms_only_case)
    relay_once()
    db.session.refresh(row)
    assert (row.status, row.attempts) == ("pending", 1)

    provider.answer = (400, 21211)  # Twilio: invalid 'To' phone number
    (other,) = queue_case_opened(sms_only_case, topic="another")
    relay_once()
    db.session.refresh(other)
    assert other.status == "failed" and "21211" in other.last_error


def test_a_provider_url_without_its_account_refuses_to_start():
    with pytest.raises(RuntimeError, match="FIRSTFIX_SMS_ACCOUNT_SID"):
        create_app({"SMS_URL": "https://api.twilio.com"})
