"""Fetching an MMS's media: https only, public addresses only, at most so many bytes.

The provider's URLs usually redirect to its CDN; each hop is checked again before it is followed.
"""

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from app.notifications.ssrf import UnsafeUrl, UrlGuard

MAX_REDIRECTS = 3
CHUNK = 64 * 1024


class MediaRefused(Exception):
    """The media was not fetched; the message says why, for the not-stored list."""


@dataclass(frozen=True)
class MediaFetcher:
    guard: UrlGuard
    max_bytes: int
    timeout: float
    auth: tuple[str, str] | None = None  # the provider's account SID and token

    def fetch(self, url: str) -> bytes:
        origin = urlsplit(url).hostname
        for _ in range(MAX_REDIRECTS + 1):
            # Credentials go only to the provider's own host, never to where it redirects.
            response = self._get(url, send_auth=urlsplit(url).hostname == origin)
            with response:
                if response.is_redirect and response.headers.get("location"):
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise MediaRefused(f"the media URL answered {response.status_code}")
                return self._read(response)
        raise MediaRefused(f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str, *, send_auth: bool) -> requests.Response:
        if urlsplit(url).scheme != "https":
            raise MediaRefused("only https media is fetched")
        try:
            self.guard.check(url)
        except UnsafeUrl as error:
            raise MediaRefused(str(error)) from error
        auth = self.auth if send_auth else None
        try:
            return requests.get(
                url, auth=auth, stream=True, allow_redirects=False, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise MediaRefused(f"could not fetch the media: {error}") from error

    def _read(self, response: requests.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise MediaRefused(f"{declared} bytes, more than {self.max_bytes}")
        data = bytearray()
        for chunk in response.iter_content(CHUNK):
            data += chunk
            if len(data) > self.max_bytes:
                raise MediaRefused(f"more than {self.max_bytes} bytes")
        return bytes(data)
