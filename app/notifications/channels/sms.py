"""SMS through a provider; the default one appends JSON lines to a file for a gateway to read."""

import json
import threading
from pathlib import Path

from app.db import utcnow
from app.notifications.channels.base import Outgoing


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
