"""Use case: an SMS or MMS posted by the provider (Twilio's form) onto its case, with its photos.

It lands like a phone call: by a case number in the text, else by the sender's phone (the
customer's single open case, or the technician's visit that day). Media are fetched before the
write transaction starts, so no lock is held while the provider's CDN answers.
"""

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from app.inbound import matching
from app.inbound.media import MediaFetcher, MediaRefused
from app.inbound.mime import Attachment
from app.inbound.models import InboundChannel, InboundStatus
from app.inbound.service import (
    Content,
    Received,
    Unmatched,
    claim,
    record,
    recorded,
    unmatched_row,
)
from app.notifications.channels import url_guard

UNMATCHED_SMS = (
    "No case number, customer or technician matches this number; the message is kept in "
    "GET /api/v1/inbound/unmatched for an agent to attach."
)


@dataclass(frozen=True)
class Sms:
    sid: str
    sender: str
    body: str
    media: list[dict[str, str]] = field(default_factory=list)  # [{url, content_type}]

    def as_bytes(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Sms":
        return cls(**json.loads(raw))


def media_fetcher(config: Mapping[str, Any]) -> MediaFetcher:
    sid, token = config["SMS_ACCOUNT_SID"], config["SMS_AUTH_TOKEN"]
    return MediaFetcher(
        url_guard(config),
        max_bytes=int(config["MAX_PHOTO_BYTES"]),
        timeout=float(config["DELIVERY_TIMEOUT_SECONDS"]),
        auth=(sid, token) if sid and token else None,
    )


def receive_sms(sms: Sms, *, fetcher: MediaFetcher) -> Received:
    earlier = recorded(InboundChannel.SMS, sms.sid)
    if earlier is not None and earlier.status != InboundStatus.UNMATCHED:
        return Received(earlier, created=False)
    content = sms_content(sms, fetcher=fetcher)
    row = claim(content)
    if row.status != InboundStatus.UNMATCHED:
        return Received(row, created=False)
    case = (
        matching.case_by_number(sms.body)
        or matching.case_by_customer(phone=sms.sender, title=content.summary)
        or matching.case_by_technician(phone=sms.sender)
    )
    if case is None:
        raise Unmatched(UNMATCHED_SMS, row=unmatched_row(content, sms.as_bytes()))
    return record(content, case, row=row)


def sms_content(sms: Sms, *, fetcher: MediaFetcher) -> Content:
    attachments, refused = [], []
    for number, media in enumerate(sms.media):
        filename = f"mms-{number}"
        try:
            data = fetcher.fetch(media["url"])
        except MediaRefused as error:
            refused.append(
                {
                    "filename": filename,
                    "content_type": media["content_type"],
                    "size_bytes": 0,
                    "reason": str(error),
                }
            )
            continue
        attachments.append(Attachment(filename, media["content_type"], data))
    first_line = sms.body.strip().splitlines()[0] if sms.body.strip() else "MMS"
    return Content(
        channel=InboundChannel.SMS,
        key=sms.sid,
        sender=sms.sender,
        subject=None,
        summary=first_line[:500],
        body=sms.body,
        attachments=tuple(attachments),
        refused=tuple(refused),
    )
