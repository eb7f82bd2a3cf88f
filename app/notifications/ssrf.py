"""Refuse webhook URLs that would make the server call itself or the private network (SSRF).

Checked when a subscription is made and again before every delivery, because DNS can change
in between; the delivery then connects to the very address that was checked.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnsafeUrl(ValueError):
    """The URL cannot be called safely; the message says why, for the subscriber to read."""


@dataclass(frozen=True)
class Target:
    """Where a checked URL points: connect to `address`, but speak to `host`."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# IPv6 ranges whose addresses carry an IPv4 address that a gateway may forward to:
# IPv4-compatible (::/96, deprecated but still parsed), NAT64 (64:ff9b::/96) and 6to4.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
    """Globally routable unicast only: no loopback, private, link-local, shared or reserved.

    An IPv6 address that embeds an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by the
    IPv4 address it reaches, so `::ffff:127.0.0.1` or `2002:a00:1::` cannot stand in for it.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    if embedded is not None:
        ip = embedded
    return ip.is_global and not ip.is_multicast


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _IPV4_COMPATIBLE or ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class UrlGuard:
    """`allow_private` exists for tests that post to a receiver on loopback, nothing else;
    `https_only` (production) refuses plain http, which would send events in clear text."""

    allow_private: bool = False
    https_only: bool = False
    resolve: Resolver = field(default=system_resolver)

    def check(self, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            raise UnsafeUrl("Only http and https URLs can receive webhooks.")
        if self.https_only and parts.scheme != "https":
            raise UnsafeUrl("Webhooks are sent over https only; give an https:// URL.")
        if not parts.hostname:
            raise UnsafeUrl("The URL has no host.")
        if parts.username or parts.password:
            raise UnsafeUrl("Put no credentials in the URL; verify our signature instead.")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
            addresses = self.resolve(parts.hostname, port)
        except (OSError, ValueError) as error:
            raise UnsafeUrl(f"'{parts.hostname}' does not resolve: {error}") from error
        if not addresses:
            raise UnsafeUrl(f"'{parts.hostname}' does not resolve.")
        refused = [address for address in addresses if not is_public(address)]
        if refused and not self.allow_private:
            raise UnsafeUrl(
                f"'{parts.hostname}' resolves to {', '.join(refused)}, which is not a public "
                "address; webhooks only go to the public internet."
            )
        path = parts.path or "/"
        return Target(
            scheme=parts.scheme,
            host=parts.hostname,
            port=port,
            address=addresses[0],
            path=f"{path}?{parts.query}" if parts.query else path,
        )
