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


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:7f00:1",  # the same, written in hex
        "::127.0.0.1",  # IPv4-compatible (::/96)
        "::a9fe:a9fe",  # 169.254.169.254, compatible form
        "64:ff9b::127.0.0.1",  # NAT64 (64:ff9b::/96)
        "64:ff9b::a9fe:a9fe",  # NAT64 to the metadata service
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "2002:c0a8:1::5",  # 6to4 of 192.168.0.1
    ],
)
def test_ipv6_forms_embedding_a_private_ipv4_address_are_refused(address):
    guard = UrlGuard(resolve=resolving_to(address))

    with pytest.raises(UnsafeUrl, match="not a public address"):
        guard.check("https://hooks.example.com/in")
    with pytest.raises(UnsafeUrl, match="not a public address"):
        UrlGuard().check(f"https://[{address}]/in")


@pytest.mark.parametrize(
    "address", ["::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1", "2606:4700::1"]
)
def test_ipv6_forms_embedding_a_public_ipv4_address_are_accepted(address):
    target = UrlGuard(resolve=resolving_to(address)).check("https://hooks.example.com/in")

    assert target.address == address


def test_https_only_refuses_plain_http_even_to_a_public_address():
    guard = UrlGuard(resolve=resolving_to("93.184.216.34"), https_only=True)

    with pytest.raises(UnsafeUrl, match="https only"):
        guard.check("http://hooks.example.com/in")
    with pytest.raises(UnsafeUrl, match="https only"):
        guard.check("HTTP://hooks.example.com/in")
    assert guard.check("https://hooks.example.com/in").scheme == "https"


def test_production_subscribes_https_webhooks_only(app, client, dispatcher_headers, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "production")

    response = client.post(
        "/api/v1/webhooks",
        json={"url": "http://93.184.216.34/in", "events": ["case.opened"]},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert "https only" in response.json["errors"]["url"][0]


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
