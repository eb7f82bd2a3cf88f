"""Webhook URLs that point at this host or a private network are refused, at every step."""

import pytest

from app.notifications.channels import DeliveryError
from app.notifications.channels.base import Outgoing
from app.notifications.channels.webhooks import WebhookSender, new_secret
from app.notifications.ssrf import UnsafeUrl, UrlGuard


def resolving_to(*addresses):
    return lambda _host, _port: list(addresses)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost:8080/hook",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(UnsafeUrl, match="not a public address"):
        UrlGuard().check(url)


def test_a_hostname_resolving_to_loopback_is_refused():
    guard = UrlGuard(resolve=resolving_to("127.0.0.1"))

    with pytest.raises(UnsafeUrl, match=r"'hooks\.example\.com' resolves to 127\.0\.0\.1"):
        guard.check("https://hooks.example.com/in")


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    guard = UrlGuard(resolve=resolving_to("93.184.216.34", "10.0.0.7"))

    with pytest.raises(UnsafeUrl, match=r"10\.0\.0\.7"):
        guard.check("https://hooks.example.com/in")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example.com/", "Only http and https"),
        ("https://user:pw@hooks.example.com/", "no credentials"),
        ("https:///nohost", "no host"),
    ],
)
def test_urls_that_are_not_plain_web_addresses_are_refused(url, reason):
    with pytest.raises(UnsafeUrl, match=reason):
        UrlGuard(resolve=resolving_to("93.184.216.34")).check(url)


def test_a_public_address_is_accepted_and_pinned():
    target = UrlGuard(resolve=resolving_to("93.184.216.34")).check(
        "https://hooks.example.com:8443/in?x=1"
    )

    assert (target.host, target.address, target.port, target.path) == (
        "hooks.example.com",
        "93.184.216.34",
        8443,
        "/in?x=1",
    )


def test_dns_that_changed_to_a_private_address_is_refused_at_delivery():
    """Accepted when subscribed, rebound to the metadata service since: never posted."""
    sender = WebhookSender(UrlGuard(resolve=resolving_to("169.254.169.254")), timeout=1)
    message = Outgoing("id-1", "https://hooks.example.com/in", "case.opened", "{}", new_secret())

    with pytest.raises(DeliveryError, match="not a public address") as refused:
        sender.send(message)

    assert refused.value.permanent
