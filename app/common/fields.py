"""Marshmallow fields and validators shared by several slices."""

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma

INT64_MAX = 2**63 - 1
# Integer columns are INTEGER, 32 bits on PostgreSQL: no id, count or cursor stored is larger.
MAX_STORED_INT = 2**31 - 1
# C0 and C1 controls (newline, tab, escape, DEL...) and the Unicode line and paragraph breaks.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def stored_int(text: str) -> int:
    """`int`, for werkzeug's `type=` on form fields: a number no column holds is a ValueError."""
    value = int(text)
    if not -MAX_STORED_INT - 1 <= value <= MAX_STORED_INT:
        raise ValueError(f"{text} is beyond the integers stored")
    return value


class Line(ma.fields.String):
    """One line of text (a name, title, caption, filename): control characters are refused.

    A newline in a name breaks every single-line format it is written into (calendar feeds,
    CSV exports, e-mail headers, log lines), and the other controls only hide what was typed.
    """

    default_error_messages = {  # noqa: RUF012 - marshmallow merges this class attribute
        "control": "Use one line of text: control characters (newline, tab, ...) are not allowed."
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if _CONTROL.search(text):
            raise self.make_error("control")
        return text


class StoredInt(ma.fields.Integer):
    """An integer the database can store; a larger one is a 422, not a 500 from the driver."""

    def __init__(self, **kwargs: Any) -> None:
        bound = ma.validate.Range(min=-MAX_STORED_INT - 1, max=MAX_STORED_INT)
        validate = kwargs.pop("validate", None)
        extra = [] if validate is None else validate if isinstance(validate, list) else [validate]
        super().__init__(validate=[bound, *extra], **kwargs)


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
