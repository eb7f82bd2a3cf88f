"""SMS: through the provider's Messages API when SMS_URL is set (Twilio's, with the `twilio`
client), else appended as JSON lines to a file for a gateway to read (the zero-set-up default).
"""

import json
import threading
from pathlib import Path

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from app.db import utcnow
from app.notifications.channels.base import DeliveryError, Outgoing

# The provider answers these when trying again later may work.
RETRYABLE = {408, 409, 425, 429}


class FileSmsSink:
    """A stand-in provider: each line is one text message, keyed by its delivery id."""

    _lock = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def send(self, message: Outgoing) -> None:
        line = json.dumps(
            {
                "id": message.delivery_id,
                "to": message.recipient,
                "body": message.body,
                "at": utcnow().isoformat(),
            }
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as sink:
                sink.write(line + "\n")


class ProviderSms:
    """Twilio's Messages API at `url` (https://api.twilio.com, or a compatible provider)."""

    def __init__(
        self, url: str, *, account_sid: str, auth_token: str, sender: str, timeout: float
    ) -> None:
        self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
        self.client.api.base_url = url.rstrip("/")
        self.sender = sender

    def send(self, message: Outgoing) -> None:
        """4xx answers (an invalid number, a blocked recipient) are permanent, others retried."""
        try:
            self.client.messages.create(to=message.recipient, from_=self.sender, body=message.body)
        except TwilioRestException as error:
            permanent = 400 <= error.status < 500 and error.status not in RETRYABLE
            raise DeliveryError(
                f"SMS provider answered {error.status} (code {error.code}): {error.msg}",
                permanent=permanent,
            ) from error
        except (TwilioException, requests.RequestException) as error:
            raise DeliveryError(f"SMS provider: {error}") from error
