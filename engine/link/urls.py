"""Every URL the link builds or is given: TLS only, unless the loopback opt-in says otherwise.

A host (`host[:port]`) or URL from the config or the domain lookup becomes a service root
(`https://host[:port]`, or `wss://` for the websocket) here and nowhere else. Plain `http`/`ws`
is allowed only when `insecure_http` is set AND the host is loopback (127.0.0.0/8, ::1,
localhost); anything else is refused (`UrlRefused`, not retryable) before a credential is
sent. A malformed host or port is a retryable `LinkError` with a readable line.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from engine.link.errors import LinkError
from engine.protocol.errors import excerpt

LOOPBACK_NAMES = frozenset({"localhost"})
TLS_ONLY = "Floorwatch only speaks https unless insecure_http is set for a loopback host"
_PLAIN = {"http", "ws"}
_WEBSOCKET = {"https": "wss", "http": "ws", "wss": "wss", "ws": "ws"}
_REST = {"https": "https", "http": "http", "wss": "https", "ws": "http"}
_HOST_NAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


class UrlRefused(LinkError):  # noqa: N818 (an outcome the CLI reports, like LoginRefused)
    """A URL that would leave TLS (or is not http at all): retrying cannot fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (brackets of an IPv6 literal allowed)."""
    name = host.strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def service_root(
    value: str, *, source: str, insecure: bool, websocket: bool = False, purpose: str = ""
) -> str:
    """`scheme://host[:port][/path]` for `value` (a host or a URL) named by `source` (e.g.
    "the domain lookup", "the config's csds_url") `purpose` (e.g. "for agentVep"): https or
    wss unless insecure on a loopback host."""
    text = value.strip()
    shown = (excerpt(text, 120) or '""') + (f" {purpose}" if purpose else "")
    given = "://" in text
    try:
        parts = urlsplit(text if given else f"//{text}")
    except ValueError:  # an unbalanced IPv6 bracket, say
        raise LinkError(f"{source} named {shown}, which is not a valid URL") from None
    scheme = parts.scheme.lower() if given else ("http" if insecure else "https")
    if scheme not in _WEBSOCKET:
        raise UrlRefused(f"{source} named {shown}, which is not an http(s) URL; {TLS_ONLY}")
    host = _host(parts.hostname, source, shown)
    port = _port(parts, source, shown)
    if scheme in _PLAIN and not (insecure and is_loopback_host(host)):
        raise UrlRefused(f"{source} named {shown}; {TLS_ONLY}")
    final = (_WEBSOCKET if websocket else _REST)[scheme]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return f"{final}://{netloc}{parts.path.rstrip('/')}"


def check_url(url: str, *, source: str, insecure: bool) -> str:
    """`url` itself (a full URL about to be requested), refused as `service_root` would."""
    service_root(url, source=source, insecure=insecure, websocket=url.startswith(("ws:", "wss:")))
    return url


def _host(hostname: str | None, source: str, shown: str) -> str:
    host = hostname or ""
    if not host:
        raise LinkError(f"{source} named {shown}, which has no host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOST_NAME.match(host) or ".." in host:
            raise LinkError(f"{source} named {shown}, which is not a valid host name") from None
    return host


def _port(parts: SplitResult, source: str, shown: str) -> int | None:
    try:
        port = parts.port  # ValueError when out of range or not a number
    except ValueError:
        raise LinkError(
            f"{source} named {shown}, whose port is not a number from 1 to 65535"
        ) from None
    if port == 0:
        raise LinkError(f"{source} named {shown}, whose port is not a number from 1 to 65535")
    return port
