"""The agent login: a current bearer for the websocket and the REST calls, kept alive."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from pydantic import SecretStr

from engine.link.errors import AuthExpired, LinkError
from engine.link.redact import redacting_logger, register_secret
from engine.link.rest import AGENT_VEP, RestClient
from engine.protocol import LoginResponse

log = redacting_logger("floorwatch.link.auth")

_T = TypeVar("_T")


class AgentLogin:
    """Logs in on agentVep, refreshes the session and logs in again when it expires."""

    def __init__(
        self,
        rest: RestClient,
        *,
        agent_vep: str,
        account: str,
        username: str,
        password: SecretStr,
    ) -> None:
        self._rest = rest
        self._agent_vep = agent_vep
        self._account = account
        self._username = username
        self._password = password
        register_secret(password.get_secret_value())
        self._login: LoginResponse | None = None
        self._lock = asyncio.Lock()

    @property
    def server_time(self) -> float | None:
        """The platform's clock (seconds) when the latest login was answered, if it said."""
        if self._login is None or self._login.config.server_current_time is None:
            return None
        return self._login.config.server_current_time / 1000

    @property
    def bearer(self) -> str:
        if self._login is None:
            raise LinkError("not logged in")
        return self._login.bearer

    async def login(self) -> LoginResponse:
        """Log in (again); raises `LoginRefused` when the credentials are refused."""
        async with self._lock:
            return await self._log_in()

    async def renew(self, refused_bearer: str) -> None:
        """Log in again because `refused_bearer` was refused, unless that already happened."""
        async with self._lock:
            if self._login is None or self._login.bearer == refused_bearer:
                log.info("the login is no longer accepted; logging in again")
                await self._log_in()

    async def refresh(self, agent_vep: str | None = None) -> None:
        """Extend the session; log in again if it is gone (or was never opened).
        `agent_vep`: the login host as the domain lookup names it now (the official SDK looks
        it up again before each refresh), if it was looked up."""
        if agent_vep is not None:
            self._agent_vep = agent_vep
        if self._login is None or self._login.csrf is None:
            await self.login()
            return
        bearer = self._login.bearer
        try:
            await self._rest.refresh(self._agent_vep, self._account, self._login.csrf)
        except AuthExpired:
            await self.renew(bearer)

    async def keep_refreshed(
        self, interval: float, lookup: Callable[[], Awaitable[dict[str, str]]]
    ) -> None:
        """Refresh the session every `interval` seconds, on the login host the domain lookup
        (`lookup`) names at that time, the one known before if the lookup fails. Returns only
        by raising what retrying cannot fix."""
        while True:
            await asyncio.sleep(interval)
            agent_vep: str | None = None
            try:
                agent_vep = (await lookup())[AGENT_VEP]
            except LinkError as exc:
                log.warning("domain lookup before the login refresh failed: %s", exc)
            try:
                await self.refresh(agent_vep)
            except LinkError as exc:
                if not exc.retryable:
                    raise
                log.warning("login refresh failed: %s", exc)

    async def with_bearer(self, call: Callable[[str], Awaitable[_T]]) -> _T:
        """`call(bearer)`, retried once after a new login if the bearer was refused."""
        bearer = self.bearer
        try:
            return await call(bearer)
        except AuthExpired:
            await self.renew(bearer)
            return await call(self.bearer)

    async def _log_in(self) -> LoginResponse:
        self._login = await self._rest.login(
            self._agent_vep, self._account, self._username, self._password.get_secret_value()
        )
        log.info("logged in as %s", self._username)
        return self._login
