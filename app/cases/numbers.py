"""Case numbers a customer can read over the phone: FF-XXXX-XXXX in Crockford base32."""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to mishear or misread
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SHAPE = re.compile(r"^FF([0-9A-Z]{4})([0-9A-Z]{4})$")


def new_case_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"FF-{body[:4]}-{body[4:]}"


def canonical_case_number(typed: str) -> str | None:
    """The stored form of what someone typed ("ff 4k7p 2qxm", "FF-4K7P-2QXM"), or None."""
    compact = re.sub(r"[\s\-_.]", "", typed.upper())
    if compact.startswith("FF"):
        compact = "FF" + compact[2:].translate(_MISREAD)
    match = _SHAPE.match(compact)
    return f"FF-{match[1]}-{match[2]}" if match else None
