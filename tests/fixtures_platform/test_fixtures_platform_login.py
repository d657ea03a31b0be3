"""Login and refresh as the real service does them (and as the Node SDK reads them): a bearer,
a csrf and a session cookie per login; a refresh needs that login's csrf and cookie."""

from __future__ import annotations

import uuid

import httpx
import pytest
from served_support import ACCOUNT, StartServer, floor, http_client, log_in

from engine.link.errors import AuthExpired
from engine.link.rest import RestClient
from fixtures.platform.auth import SESSION_COOKIE


def refresh_url(base_url: str) -> str:
    return f"{base_url}/api/account/{ACCOUNT}/refresh?v=1.3"


@pytest.mark.parametrize("tls", [False, True])
async def test_login_answers_what_the_sdk_reads_and_sets_a_session_cookie(
    start_server: StartServer, tls: bool
) -> None:
    server = await start_server(floor(), tls=tls)
    async with http_client(server) as http:
        response = await http.post(
            f"{server.base_url}/api/account/{ACCOUNT}/login?v=1.3",
            json={"username": "supervisor", "password": "fixture"},
        )
    body = response.json()
    assert isinstance(body["bearer"], str) and isinstance(body["csrf"], str)
    config = body["config"]
    assert config["userId"] == "supervisor" and config["loginName"] == "supervisor"
    assert uuid.UUID(config["userPid"]).version == 5
    assert config["serverCurrentTime"] == server.platform.epoch_ms  # the clock waits
    assert "error" not in body
    [cookie] = response.headers.get_list("set-cookie")
    name, _, rest = cookie.partition("=")
    flags = [flag.strip() for flag in rest.split(";")[1:]]
    assert name == SESSION_COOKIE
    assert flags == ["Path=/", "HttpOnly", *(["Secure"] if tls else [])]


async def test_refresh_needs_the_logins_csrf_and_its_session_cookie(
    start_server: StartServer,
) -> None:
    server = await start_server(floor())
    url = refresh_url(server.base_url)
    async with http_client(server) as first, http_client(server) as second:
        one, two = await log_in(first, server), await log_in(second, server)
        refreshed = await first.post(url, json={"csrf": one["csrf"]})
        crossed = await first.post(url, json={"csrf": two["csrf"]})  # the other login's csrf
        forged = await first.post(url, json={"csrf": "forged"})
        no_csrf = await first.post(url, content=b"csrf=" + one["csrf"].encode())
        wrong_cookie = await first.post(
            url, json={"csrf": one["csrf"]}, headers={"Cookie": f"{SESSION_COOKIE}=stolen"}
        )
    async with httpx.AsyncClient() as stranger:  # the csrf without the cookie
        no_cookie = await stranger.post(url, json={"csrf": one["csrf"]})
    assert refreshed.status_code == 200 and "error" not in refreshed.json()
    refusals = {
        "crossed": crossed,
        "forged": forged,
        "no_csrf": no_csrf,
        "wrong_cookie": wrong_cookie,
        "no_cookie": no_cookie,
    }
    assert {name: r.status_code for name, r in refusals.items()} == dict.fromkeys(refusals, 401)
    assert all("error" in r.json() for r in refusals.values())
    assert "cookie" in no_cookie.json()["error"] and "wrong" in wrong_cookie.json()["error"]
    assert one["csrf"] not in str([r.text for r in refusals.values()])


async def test_floorwatchs_own_client_logs_in_and_refreshes(start_server: StartServer) -> None:
    """Its one httpx client keeps the login's cookie for the refresh."""
    server = await start_server(floor())
    async with RestClient(insecure_http=True) as rest:
        domains = await rest.lookup_domains(server.base_url, ACCOUNT)
        login = await rest.login(domains["agentVep"], ACCOUNT, "supervisor", "fixture")
        assert login.csrf is not None
        await rest.refresh(domains["agentVep"], ACCOUNT, login.csrf)
    async with RestClient(insecure_http=True) as other:  # a new client has no cookie
        with pytest.raises(AuthExpired):
            await other.refresh(domains["agentVep"], ACCOUNT, login.csrf)


async def test_floorwatchs_client_reaches_the_tls_platform_through_ssl_cert_file(
    start_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Floorwatch's client has no CA setting of its own: httpx reads SSL_CERT_FILE."""
    server = await start_server(floor(), tls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_path))
    async with RestClient() as rest:
        domains = await rest.lookup_domains(server.base_url, ACCOUNT)
        login = await rest.login(domains["agentVep"], ACCOUNT, "supervisor", "fixture")
        assert login.csrf is not None
        await rest.refresh(domains["agentVep"], ACCOUNT, login.csrf)
