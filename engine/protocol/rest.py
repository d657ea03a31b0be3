"""REST payloads: CSDS domain lookup (`baseURI.json`) and the agentVep login service."""

from __future__ import annotations

from pydantic import Field

from engine.protocol._base import WireId, WireModel


class BaseUri(WireModel):
    service: str
    account: WireId
    base_uri: str = Field(alias="baseURI")


class BaseUrisResponse(WireModel):
    base_uris: list[BaseUri] = Field(alias="baseURIs")

    def uri_for(self, service: str) -> str | None:
        """The domain of `service` (e.g. "agentVep", "asyncMessagingEnt"), if listed."""
        return next((entry.base_uri for entry in self.base_uris if entry.service == service), None)


class LoginRequest(WireModel):
    username: str
    password: str


class LoginConfig(WireModel):
    user_id: WireId
    user_pid: str | None = None
    login_name: str | None = None
    server_current_time: int | None = None


class LoginResponse(WireModel):
    bearer: str
    csrf: str | None = None
    config: LoginConfig


class RefreshRequest(WireModel):
    csrf: str
