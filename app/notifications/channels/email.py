"""E-mail over SMTP, configured by one URL: smtp://, smtp+starttls:// or smtps://user:pw@host:port."""

import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from app.notifications.channels.base import DeliveryError, Outgoing

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


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
                smtp.send_message(self._compose(message))
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

    def _compose(self, message: Outgoing) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject or ""
        email["Date"] = formatdate(usegmt=True)
        # The same Message-ID on every retry lets mail systems drop a duplicate.
        domain = self.mail_from.rpartition("@")[2].strip("> ") or "firstfix"
        email["Message-ID"] = f"<{message.delivery_id}@{domain}>"
        email.set_content(message.body)
        return email

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
