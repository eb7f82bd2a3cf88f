"""Marshmallow fields and validators shared by several slices."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:  # "US" is a folder: OSError
        raise ma.ValidationError(
            f"'{value}' is not an IANA time zone (e.g. 'America/New_York')."
        ) from error


class AwareDateTime(ma.fields.AwareDateTime):
    """ISO 8601 with an offset in, ISO 8601 in UTC out; a bare local time is refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "iso")
        super().__init__(**kwargs)
        self.error_messages["invalid_awareness"] = (
            "Give the time with its UTC offset, e.g. 2026-05-04T09:00:00+02:00."
        )

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is not None:
            value = value.astimezone(UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class Timezone(ma.fields.String):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate_timezone, **kwargs)
