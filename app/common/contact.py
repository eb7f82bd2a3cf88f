"""Phone numbers and e-mail addresses folded to one form, so any spelling finds the customer."""

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """The text is not a phone number or e-mail address we could ever reach."""


def normalise_phone(raw: str, *, region: str) -> str:
    """E.164 form; numbers typed without a country code are read in the tenant's region."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidContact(f"'{raw}' is not a phone number") from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact(f"'{raw}' is not a valid phone number for region {region}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Normalised by email-validator, then case-folded: mailboxes are matched, not displayed."""
    try:
        address = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidContact(str(error)) from error
    return address.normalized.lower()
