"""Read a raw e-mail with the stdlib parser: sender, threading ids, the reply text, the attachments.

Which part is the body is ours to say (plain text first, HTML as text second); MIME structure,
header decoding and charsets are the `email` package's, with `policy.default`.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from inscriptis import get_text
from mailparser_reply import EmailReplyParser

from app.errors import RuleViolation

MESSAGE_IDS = re.compile(r"<([^<>\s]+)>")
# The languages whose "On ... wrote:" headers are trimmed from replies.
REPLY_LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
MAX_SUBJECT = 300


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True)
class ParsedEmail:
    key: str  # the Message-ID, or the sha256 of the bytes when the message has none
    sender: str
    subject: str | None
    text: str  # everything the sender wrote, quoted history included (case numbers live there)
    reply: str  # the new part only, for the timeline
    thread_ids: tuple[str, ...]  # In-Reply-To, then References
    sent_at: datetime | None
    attachments: tuple[Attachment, ...]


def parse_email(raw: bytes) -> ParsedEmail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    body_part = message.get_body(preferencelist=("plain", "html"))
    text = _text_of(body_part) if body_part is not None else ""
    subject = str(message.get("Subject", "")).strip()[:MAX_SUBJECT] or None
    return ParsedEmail(
        key=_key(message, raw),
        sender=_sender(message),
        subject=subject,
        text=text,
        reply=EmailReplyParser(languages=REPLY_LANGUAGES).parse_reply(text=text).strip() or text,
        thread_ids=tuple(
            MESSAGE_IDS.findall(f"{message.get('In-Reply-To', '')} {message.get('References', '')}")
        ),
        sent_at=_date(message),
        attachments=tuple(_attachments(message, body_part)),
    )


def _key(message: EmailMessage, raw: bytes) -> str:
    found = MESSAGE_IDS.findall(str(message.get("Message-ID", "")))
    return found[0][:300] if found else "sha256:" + hashlib.sha256(raw).hexdigest()


def _sender(message: EmailMessage) -> str:
    """The From address; a message nobody can be named as having sent is refused."""
    try:
        addresses = message["From"].addresses if message["From"] else ()
    except (AttributeError, IndexError, ValueError):
        addresses = ()
    if not addresses or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
        raise RuleViolation(
            "The message has no readable From address; send the raw message as received.",
            errors={"From": ["Missing or not an address."]},
        )
    return addresses[0].addr_spec.lower()


def _date(message: EmailMessage) -> datetime | None:
    try:
        sent = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError):
        return None
    return sent if sent.tzinfo is not None else None


def _text_of(part: EmailMessage) -> str:
    content = str(part.get_content())
    if part.get_content_subtype() == "html":
        content = get_text(content)
    return content.replace("\r\n", "\n").strip()


def _attachments(message: EmailMessage, body_part: EmailMessage | None) -> list[Attachment]:
    """Every leaf that is not a text alternative of the body: attached or inline files."""
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body_part:
            continue
        if part.get_content_maintype() == "text" and part.get_filename() is None:
            continue  # the other alternative of the body (its HTML or plain twin)
        data = part.get_payload(decode=True)
        found.append(
            Attachment(
                filename=(part.get_filename() or "attachment")[:255],
                content_type=part.get_content_type(),
                data=data if isinstance(data, bytes) else b"",
            )
        )
    return found
