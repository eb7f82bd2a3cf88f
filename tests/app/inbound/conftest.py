"""Inbound mail fixtures: real MIME messages built with the stdlib, posted as a provider would."""

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.app.photos.phone import photo_bytes

SECRET = "inbound-channel-secret-of-some-length"


@pytest.fixture(autouse=True)
def media_root(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setitem(app.config, "INBOUND_EMAIL_SECRET", SECRET)
    return tmp_path / "media"


def mime(
    *,
    sender="someone@example.net",
    subject="Photos of the fridge",
    text="Here are the photos.",
    html=None,
    images=(),
    files=(),
    message_id=None,
    in_reply_to=None,
):
    """A message as a mail client writes it; `images` are (filename, bytes) attached as JPEG."""
    message = EmailMessage()
    message["From"] = f"Sender <{sender}>"
    message["To"] = "support@firstfix.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.net")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, data in images:
        message.add_attachment(data, maintype="image", subtype="jpeg", filename=filename)
    for filename, content_type, data in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


@pytest.fixture
def two_photos():
    return [("kitchen.jpg", photo_bytes(colour="blue")), ("label.jpg", photo_bytes(colour="red"))]


@pytest.fixture
def post_email(client):
    def post(message, *, headers=None, content_type="message/rfc822"):
        raw = message if isinstance(message, bytes) else message.as_bytes()
        return client.post(
            "/api/v1/inbound/email",
            data=raw,
            headers={"Authorization": f"Bearer {SECRET}", **(headers or {})},
            content_type=content_type,
        )

    return post
