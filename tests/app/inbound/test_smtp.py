"""The SMTP listener: a real client (smtplib) over loopback, the same use case behind it."""

import os
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cases.models import Interaction
from app.extensions import db
from app.inbound.models import InboundMessage
from app.inbound.smtp import mail_listener
from app.photos.models import Photo
from tests.app.inbound.conftest import mime
from tests.app.photos.phone import photo_bytes

REPO = Path(__file__).resolve().parents[3]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def listener(app):
    port = free_port()
    controller = mail_listener(app, host="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def send(port, message):
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        return client.send_message(message, to_addrs=["support@firstfix.example"])


def test_a_mail_sent_over_smtp_lands_on_the_case_with_its_photos(listener, create_case):
    case = create_case()
    send(listener, mime(sender=case.customer.emails[0], images=[("a.jpg", photo_bytes())]))
    db.session.remove()
    row = db.session.scalar(select(InboundMessage))
    assert (row.status, row.case_id) == ("matched", case.id)
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1


def test_the_same_mail_relayed_twice_is_recorded_once(listener, create_case):
    case = create_case()
    message = mime(sender=case.customer.emails[0])
    send(listener, message)
    send(listener, message)
    db.session.remove()
    inbound = select(func.count()).select_from(Interaction).where(Interaction.channel == "email")
    assert db.session.scalar(inbound) == 1


def test_an_unmatched_mail_is_accepted_and_kept_for_review(listener):
    send(listener, mime(sender="nobody@unknown.example"))
    db.session.remove()
    assert db.session.scalar(select(InboundMessage.status)) == "unmatched"


def test_a_mail_without_a_sender_is_refused_with_550(listener):
    message = mime()
    del message["From"]
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listener, message)
    assert refused.value.smtp_code == 550


def test_flask_mail_serve_listens_as_a_relay_host_would_use_it(tmp_path):
    """The command as an operator runs it, in its own process, on its own SQLite database."""
    env = {
        **os.environ,
        "FIRSTFIX_DATABASE_URL": f"sqlite:///{tmp_path / 'mail.db'}",
        "FIRSTFIX_MEDIA_ROOT": str(tmp_path / "media"),
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=REPO, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*flask, "mail", "serve", "--port", str(port)], env=env, cwd=REPO, stdout=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                send(port, mime(sender="nobody@unknown.example", subject="Via the relay"))
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the listener never came up"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with sqlite3.connect(tmp_path / "mail.db") as kept:
        assert kept.execute("SELECT status, subject FROM inbound_messages").fetchall() == [
            ("unmatched", "Via the relay")
        ]


def test_a_sender_with_several_open_cases_is_kept_for_review_not_bounced(
    listener, create_customer, create_case
):
    customer = create_customer()
    create_case(customer), create_case(customer)
    send(listener, mime(sender=customer.emails[0]))
    db.session.remove()
    row = db.session.scalar(select(InboundMessage))
    assert row.status == "unmatched" and "open cases" in row.reason
