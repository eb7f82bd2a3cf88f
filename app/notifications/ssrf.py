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


def is_public(address: str) -> bool:
    """Globally routable unicast only: no loopback, private, link-local, shared or reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class UrlGuard:
    """`allow_private` exists for tests that post to a receiver on loopback, nothing else."""

    allow_private: bool = False
    resolve: Resolver = field(default=system_resolver)

    def check(self, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS:
            raise UnsafeUrl("Only http and https URLs can receive webhooks.")
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
