"""The platform's REST calls over httpx: CSDS domain lookup, login, refresh, agent status.

Hosts from the domain lookup are `host[:port]`; they are reached over https (wss for the
websocket) unless `insecure_http` is set for a loopback host (`engine.link.urls`): every URL
is checked before it is requested, redirects are never followed (a 3xx is an error), and
every connection failure is a `LinkError` with a readable line.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from engine.link.errors import AuthExpired, LinkError, LoginRefused
from engine.link.redact import redact, register_secret
from engine.link.tls import trust
from engine.link.urls import check_url, service_root
from engine.protocol import (
    AgentViewStatusResponse,
    BaseUrisResponse,
    LoginRequest,
    LoginResponse,
    RefreshRequest,
    describe_validation_error,
)
from engine.protocol.errors import excerpt

AGENT_VEP = "agentVep"
MESSAGING = "asyncMessagingEnt"
MSG_HIST = "msgHist"
REQUIRED_SERVICES = (AGENT_VEP, MESSAGING)
LOGIN_VERSION = "1.3"
DEFAULT_TIMEOUT = 10.0

_Model = TypeVar("_Model", bound=BaseModel)


CSDS_SOURCE = "the config's csds_url"
LOOKUP_SOURCE = "the domain lookup"


def _account_path(account: str) -> str:
    return f"/api/account/{quote(account, safe='')}"


class RestClient:
    """One httpx client (it keeps the login's session cookie for `refresh`)."""

    def __init__(
        self,
        *,
        insecure_http: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        """`transport`: httpx's own (the default), or a test's; `tls`: the authorities to
        trust (default: the system's, `engine.link.tls.trust`)."""
        self._insecure = insecure_http
        self._http = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            trust_env=not insecure_http,
            transport=transport,
            verify=tls if tls is not None else trust(None),
        )

    async def __aenter__(self) -> RestClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def lookup_domains(
        self, csds_base_url: str, account: str, services: Iterable[str] = REQUIRED_SERVICES
    ) -> dict[str, str]:
        """Service name -> host of `account`; fails when agentVep or asyncMessagingEnt is absent,
        or when the host of one of `services` is malformed (retryable) or would leave TLS."""
        root = service_root(csds_base_url, source=CSDS_SOURCE, insecure=self._insecure)
        url = f"{root}{_account_path(account)}"
        response = await self._send(
            "domain lookup", "GET", f"{url}/service/baseURI.json", params={"version": "1.0"}
        )
        if response.status_code == 404:
            raise LinkError(f"domain lookup: account {account} is unknown", retryable=False)
        self._check(response, "domain lookup")
        domains = {
            entry.service: entry.base_uri
            for entry in _model("domain lookup", BaseUrisResponse, response).base_uris
        }
        missing = [service for service in REQUIRED_SERVICES if service not in domains]
        if missing:
            raise LinkError(
                f"domain lookup: account {account} has no {' or '.join(missing)} service",
                retryable=False,
            )
        for service in services:
            if service in domains:
                service_root(
                    domains[service],
                    source=LOOKUP_SOURCE,
                    purpose=f"for {service}",
                    insecure=self._insecure,
                    websocket=service == MESSAGING,
                )
        return domains

    async def login(
        self, agent_vep: str, account: str, username: str, password: str
    ) -> LoginResponse:
        """Log in with a username and password; `LoginRefused` on 401/403."""
        register_secret(password)
        body = LoginRequest(username=username, password=password).model_dump(by_alias=True)
        response = await self._send(
            "login", "POST", self._vep_url(agent_vep, account, "login"), json=body
        )
        if response.status_code in (401, 403):
            text = response.text.replace(password, "***") if password else response.text
            detail = excerpt(" ".join(text.split()), 200)
            raise LoginRefused(
                f"login refused for user {username!r}: HTTP {response.status_code}"
                + (f" {detail}" if detail else "")
            )
        self._check(response, "login")
        answer = _model("login", LoginResponse, response)
        register_secret(answer.bearer)
        register_secret(answer.csrf)
        return answer

    async def refresh(self, agent_vep: str, account: str, csrf: str) -> None:
        """Keep the login session alive (the csrf, and the session cookie the login set);
        `AuthExpired` when it is gone: a 401/403, or an answer whose body names an `error`
        (the official SDK counts that as a failed refresh too)."""
        body = RefreshRequest(csrf=csrf).model_dump(by_alias=True)
        response = await self._send(
            "refresh", "POST", self._vep_url(agent_vep, account, "refresh"), json=body
        )
        self._check(response, "refresh")
        error = _error_of(response)
        if error is not None:
            raise AuthExpired(f"refresh: the platform answered an error: {error}")

    async def agent_view(self, msg_hist: str, account: str, bearer: str) -> AgentViewStatusResponse:
        """Every logged-in agent's state (Agent Metrics `agent-view/status`)."""
        root = self._root(msg_hist, MSG_HIST)
        url = f"{root}/messaging_history{_account_path(account)}/agent-view/status"
        response = await self._send(
            "agent status",
            "POST",
            url,
            json={},
            headers={"Authorization": f"Bearer {bearer}"},
        )
        self._check(response, "agent status")
        return _model("agent status", AgentViewStatusResponse, response)

    def _vep_url(self, agent_vep: str, account: str, call: str) -> str:
        root = self._root(agent_vep, AGENT_VEP)
        return f"{root}{_account_path(account)}/{call}?v={LOGIN_VERSION}"

    def _root(self, host: str, service: str) -> str:
        purpose = f"for {service}"
        return service_root(host, source=LOOKUP_SOURCE, purpose=purpose, insecure=self._insecure)

    async def _send(
        self,
        what: str,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        check_url(url, source=f"the {what} URL", insecure=self._insecure)
        host = _host_of(url)
        try:
            return await self._http.request(method, url, params=params, json=json, headers=headers)
        except httpx.TimeoutException:
            raise LinkError(f"{what}: no answer from {host}") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError, ExceptionGroup) as exc:
            raise LinkError(f"{what}: cannot reach {host} ({_describe(exc)})") from None

    @staticmethod
    def _check(response: httpx.Response, what: str) -> None:
        status = response.status_code
        if 300 <= status < 400:
            location = response.headers.get("location")
            to = f" to {excerpt(redact(location), 120)}" if location else ""
            raise LinkError(
                f"{what}: HTTP {status}, a redirect{to}; Floorwatch follows no redirects"
            )
        if status in (401, 403):
            raise AuthExpired(f"{what}: HTTP {status}, the login is no longer accepted")
        if status >= 400:
            retryable = status >= 500 or status == 429
            raise LinkError(f"{what}: HTTP {status}", retryable=retryable)


def _error_of(response: httpx.Response) -> str | None:
    """The `error` a JSON object answer names, redacted and cut short (None: none)."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not body.get("error"):
        return None
    return excerpt(redact(" ".join(str(body["error"]).split())), 160)


def _host_of(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return excerpt(url, 80)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ExceptionGroup) and exc.exceptions:
        return _describe(exc.exceptions[0])
    text = excerpt(" ".join(str(exc).split()), 160)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _model(what: str, model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate(response.json())
    except ValidationError as exc:
        raise LinkError(f"{what}: unexpected answer ({describe_validation_error(exc)})") from None
    except ValueError:
        raise LinkError(f"{what}: the answer is not JSON") from None
