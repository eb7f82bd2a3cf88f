"""When to try a failed message again, and when to stop and leave it for a person."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded by a number of attempts or a time window.

    Jitter spreads retries out so a recovered receiver is not hit by every relay at once.
    """

    base: timedelta
    cap: timedelta
    max_attempts: int | None = None
    give_up_after: timedelta | None = None

    def next_attempt(
        self, *, attempts: int, queued_at: datetime, now: datetime, rng: random.Random
    ) -> datetime | None:
        """The time of the next try after `attempts` failed ones; None means give up."""
        if self.max_attempts is not None and attempts >= self.max_attempts:
            return None
        delay = min(self.cap, self.base * 2 ** max(attempts - 1, 0))
        at = now + delay * rng.uniform(0.5, 1.0)
        if self.give_up_after is not None and at > queued_at + self.give_up_after:
            return None
        return at
