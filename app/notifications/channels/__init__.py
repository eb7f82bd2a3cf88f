"""Delivery channels: one sender per channel, each raising DeliveryError when a try fails."""

from collections.abc import Mapping
from typing import Any

from app.notifications.channels.base import DeliveryError, Gone, Outgoing, Sender
from app.notifications.channels.email import MailFolder, SmtpSender
from app.notifications.channels.sms import FileSmsSink, ProviderSms
from app.notifications.channels.webhooks import WebhookSender
from app.notifications.models import DeliveryChannel
from app.notifications.ssrf import UrlGuard

__all__ = ["DeliveryError", "Gone", "Outgoing", "Sender", "senders_from_config", "url_guard"]


def url_guard(config: Mapping[str, Any]) -> UrlGuard:
    return UrlGuard(
        allow_private=bool(config["WEBHOOK_ALLOW_PRIVATE"]),
        https_only=config["ENV"] == "production",
    )


def senders_from_config(config: Mapping[str, Any]) -> dict[str, Sender]:
    timeout = float(config["DELIVERY_TIMEOUT_SECONDS"])
    email: Sender = (
        SmtpSender(config["SMTP_URL"], config["MAIL_FROM"], timeout=timeout)
        if config["SMTP_URL"]
        else MailFolder(config["MAIL_DIR"], config["MAIL_FROM"])
    )
    sms: Sender = (
        ProviderSms(
            config["SMS_URL"],
            account_sid=config["SMS_ACCOUNT_SID"],
            auth_token=config["SMS_AUTH_TOKEN"],
            sender=config["SMS_FROM"],
            timeout=timeout,
        )
        if config["SMS_URL"]
        else FileSmsSink(config["SMS_SINK_PATH"])
    )
    return {
        DeliveryChannel.EMAIL: email,
        DeliveryChannel.SMS: sms,
        DeliveryChannel.WEBHOOK: WebhookSender(url_guard(config), timeout=timeout),
    }
