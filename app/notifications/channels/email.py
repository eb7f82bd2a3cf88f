"""E-mail: over SMTP when SMTP_URL is set (smtp://, smtp+starttls:// or smtps://user:pw@host:port),
else as .eml files in a folder, so a fresh checkout delivers mail with nothing to set up.
"""

import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app.notifications.channels.base import DeliveryError, Outgoing

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def compose(message: Outgoing, mail_from: str) -> EmailMessage:
    """The same Message-ID on every retry lets mail systems drop a duplicate, and lets a reply's
    In-Reply-To find the case again (app/inbound/matching.py)."""
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject or ""
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message_id(message.delivery_id, mail_from)
    email.set_content(message.body)
    if message.calendar:
        email.add_attachment(
            message.calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename="visit.ics",
            params={"method": "PUBLISH"},
        )
    return email


def message_id(delivery_id: str, mail_from: str) -> str:
    return f"<{delivery_id}@{mail_domain(mail_from)}>"


def mail_domain(mail_from: str) -> str:
    return mail_from.rpartition("@")[2].strip("> ") or "firstfix"


class MailFolder:
    """The zero-set-up default: one .eml per message, named by its delivery id (a retry rewrites
    the same file), for any mail client to open."""

    def __init__(self, folder: str, mail_from: str) -> None:
        self.folder = Path(folder)
        self.mail_from = mail_from

    def send(self, message: Outgoing) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{message.delivery_id}.eml"
            path.write_bytes(compose(message, self.mail_from).as_bytes())
        except OSError as error:
            raise DeliveryError(f"could not write to {self.folder}: {error}") from error


class SmtpSender:
    def __init__(self, url: str, mail_from: str, *, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise ValueError(f"SMTP_URL must look like smtp://host:port, not '{url}'")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or SCHEMES[parts.scheme]
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else ""
        self.mail_from = mail_from
        self.timeout = timeout

    def send(self, message: Outgoing) -> None:
        """5xx answers are permanent (no such mailbox); anything else may pass on a retry."""
        try:
            with self._connect() as smtp:
                smtp.send_message(compose(message, self.mail_from))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            raise DeliveryError(
                f"recipient refused: {error.recipients}", permanent=all(c >= 500 for c in codes)
            ) from error
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(
                f"SMTP {error.smtp_code}: {error.smtp_error!r}", permanent=error.smtp_code >= 500
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {error}") from error

    def _connect(self) -> smtplib.SMTP:
        if self.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.scheme == "smtp+starttls":
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp
