"""Who may open `floorwatch web`: the token check, and the loopback rule without one.

With a token, every request (the page, its files, the websocket) must carry it: as
`?token=` on the address, which is answered with a cookie and a redirect to the same page
without it, or as that cookie. Without a token the server listens on loopback only, and
answers only requests addressed to a loopback name (a page elsewhere that rebinds its own name
to 127.0.0.1 is refused). A websocket must also come from a page of this server (its Origin),
so no other site the supervisor has open can drive the dashboard.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

COOKIE = "floorwatch_token"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, IPv6 with or without brackets) is loopback."""
    bare = host.strip("[]").lower()
    if bare in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def refusal(status: HTTPStatus, why: str) -> web.Response:
    """A short readable page (no detail of the request is echoed back)."""
    body = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Floorwatch: "
        f"{status.value} {status.phrase}</title></head><body style='font-family: sans-serif'>"
        f"<h1>{status.value} {status.phrase}</h1><p>{why}</p></body></html>"
    )
    return web.Response(status=status.value, text=body, content_type="text/html")


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _hostname(authority: str) -> str:
    return urlsplit(f"//{authority}").hostname or ""


def access_middleware(token: str | None) -> Middleware:
    """The aiohttp middleware that lets through only the requests described above."""

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if token is None and not is_loopback(_hostname(request.host)):
            return refusal(HTTPStatus.FORBIDDEN, "This Floorwatch answers on loopback only.")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and (origin is None or urlsplit(origin).netloc != request.host):
            return refusal(HTTPStatus.FORBIDDEN, "The dashboard opens only from its own page.")
        if token is None or _same(request.cookies.get(COOKIE), token):
            return await handler(request)
        if _same(request.query.get("token"), token) and request.method == "GET":
            rest = request.rel_url.without_query_params("token")
            response = web.HTTPSeeOther(location=str(rest))
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
        return refusal(
            HTTPStatus.FORBIDDEN,
            "This Floorwatch needs its access token: open the address it was given with "
            "<code>?token=</code> and the token set by whoever started it.",
        )

    return check
