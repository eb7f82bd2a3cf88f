"""What every sender takes (a rendered message) and how it says a try failed."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """A rendered message; `delivery_id` is the same on every try so receivers can dedupe."""

    delivery_id: str
    recipient: str
    subject: str | None
    body: str
    secret: str | None = None
    calendar: str | None = None  # an iCalendar (.ics) text attached to e-mail confirmations


class Sender(Protocol):
    def send(self, message: Outgoing) -> None: ...


class DeliveryError(Exception):
    """A failed try; `permanent` ones are not retried (a refused address, an unsafe URL)."""

    def __init__(self, detail: str, *, permanent: bool = False) -> None:
        super().__init__(detail)
        self.permanent = permanent


class Gone(DeliveryError):
    """The receiver answered 410: it wants nothing more, so its subscription is disabled."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, permanent=True)
