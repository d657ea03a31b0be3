"""The loopback platform's REST calls: domain lookup, login and refresh, agent-view/status."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from wire_support import ACCOUNT, StartServer, bearer, login, small_scenario

from engine.protocol import AgentViewStatusResponse, BaseUrisResponse, LoginResponse


async def test_domain_lookup_lists_the_services(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    async with httpx.AsyncClient() as http:
        response = await http.get(
            f"{server.base_url}/api/account/{ACCOUNT}/service/baseURI.json",
            params={"version": "1.0"},
        )
        single = await http.get(
            f"{server.base_url}/api/account/{ACCOUNT}/service/asyncMessagingEnt/baseURI.json"
        )
        unknown = await http.get(f"{server.base_url}/api/account/999/service/baseURI.json")
    assert response.status_code == 200
    domains = BaseUrisResponse.model_validate(response.json())
    rest, feed = f"127.0.0.1:{server.port}", f"127.0.0.1:{server.feed_port}"
    assert {(e.service, e.account, e.base_uri) for e in domains.base_uris} == {
        ("agentVep", ACCOUNT, rest),
        ("asyncMessagingEnt", ACCOUNT, feed),
        ("msgHist", ACCOUNT, rest),
    }
    assert single.json() == {"baseURI": feed}
    assert unknown.status_code == 404
    assert "999" in unknown.json()["error"]


async def test_login_issues_a_new_bearer_each_time_and_refresh_takes_the_csrf(
    start_server: StartServer,
) -> None:
    server = await start_server(small_scenario())
    async with httpx.AsyncClient() as http:  # it keeps the login's session cookie
        first, second = await login(server, client=http), await login(server)
        assert first.status_code == second.status_code == 200
        one, two = (LoginResponse.model_validate(r.json()) for r in (first, second))
        assert one.bearer != two.bearer
        assert one.csrf != two.csrf
        assert one.config.server_current_time == server.platform.epoch_ms  # the clock waits
        url = f"{server.base_url}/api/account/{ACCOUNT}/refresh"
        refreshed = await http.post(url, params={"v": "1.3"}, json={"csrf": one.csrf})
        refused = await http.post(url, params={"v": "1.3"}, json={"csrf": "forged"})
    assert refreshed.status_code == 200
    assert refused.status_code == 401


async def test_wrong_credentials_get_a_readable_401(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    response = await login(server, password="guess-me")
    assert response.status_code == 401
    assert "wrong username or password" in response.text
    assert "guess-me" not in response.text
    async with httpx.AsyncClient() as http:
        url = f"{server.base_url}/api/account/{ACCOUNT}/login"
        not_json = await http.post(url, content=b"username=supervisor")
        wrong_user = await http.post(url, json={"username": "root", "password": "fixture"})
        as_get = await http.get(url)
    assert not_json.status_code == 400
    assert wrong_user.status_code == 401
    assert as_get.status_code == 405


async def test_agent_view_needs_the_issued_bearer(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    token = await bearer(server)
    url = f"{server.base_url}/messaging_history/api/account/{ACCOUNT}/agent-view/status"
    async with httpx.AsyncClient() as http:
        missing = await http.post(url, json={})
        wrong = await http.post(url, json={}, headers={"Authorization": "Bearer not-issued"})
        not_bearer = await http.post(url, json={}, headers={"Authorization": f"Basic {token}"})
        ok = await http.post(url, json={}, headers={"Authorization": f"Bearer {token}"})
    assert [r.status_code for r in (missing, wrong, not_bearer)] == [401, 401, 401]
    assert ok.status_code == 200
    view = AgentViewStatusResponse.model_validate(ok.json())
    states = {(r.agent_id, r.current_status.value) for r in view.agent_status_records}
    assert states == {("a1", "ONLINE"), ("a2", "AWAY")}


async def _chunks() -> AsyncIterator[bytes]:
    yield b'{"username": "supervisor"}'


async def test_unknown_paths_and_bad_requests_are_refused(start_server: StartServer) -> None:
    server = await start_server(small_scenario())
    async with httpx.AsyncClient() as http:
        unknown = await http.get(f"{server.base_url}/nothing/here")
        chunked = await http.post(
            f"{server.base_url}/api/account/{ACCOUNT}/login",
            content=_chunks(),
        )
    assert unknown.status_code == 404
    assert chunked.status_code == 501
