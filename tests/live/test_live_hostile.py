"""Hostile answers from the platform's REST side and its sockets (issue 13): TLS only, bad
hosts and ports retried with a readable line, redirects refused, secrets redacted, floods
of bad frames logged a bounded number of times."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from live_harness import Live, StartLive, live_config, until
from live_platform import FakePlatform
from live_wire import ACCOUNT, PASSWORD, USERNAME

from engine.link.errors import LinkError
from engine.link.rest import RestClient
from engine.link.urls import TLS_ONLY, UrlRefused
from engine.runner import run_live

FLOORWATCH = Path(sys.executable).parent / "floorwatch"


async def test_an_http_csds_url_without_insecure_http_is_refused_before_any_request(
    platform: FakePlatform,
) -> None:
    async with RestClient(insecure_http=False) as rest:
        with pytest.raises(UrlRefused) as refused:
            await rest.lookup_domains(platform.csds_url, ACCOUNT)
        with pytest.raises(UrlRefused):
            await rest.login(platform.csds_url, ACCOUNT, USERNAME, PASSWORD)
    message = str(refused.value)
    assert message == f"the config's csds_url named {platform.csds_url}; {TLS_ONLY}"
    assert not refused.value.retryable
    assert platform.rest_paths == [] and platform.logins == 0, "nothing may reach the server"


@pytest.mark.parametrize("service", ["agentVep", "asyncMessagingEnt", "msgHist"])
async def test_a_plain_http_base_uri_for_a_remote_host_is_refused_naming_its_source(
    platform: FakePlatform, tmp_path: Path, service: str
) -> None:
    platform.domains[service] = "http://10.9.8.7:8080"
    with pytest.raises(UrlRefused) as refused:
        await asyncio.wait_for(run_live(live_config(platform, tmp_path)), timeout=3)
    assert str(refused.value) == (
        f"the domain lookup named http://10.9.8.7:8080 for {service}; {TLS_ONLY}"
    )
    assert platform.logins == 0 and platform.lookups == 1, "refused before the login, no retry"


async def test_an_http_base_uri_is_refused_when_insecure_http_is_off() -> None:
    """The domain lookup over https answers an http agentVep: the password never leaves."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        uris = [
            {"service": "agentVep", "account": ACCOUNT, "baseURI": "http://vep.example.com"},
            {"service": "asyncMessagingEnt", "account": ACCOUNT, "baseURI": "msg.example.com"},
        ]
        return httpx.Response(200, json={"baseURIs": uris})

    async with RestClient(transport=httpx.MockTransport(answer)) as rest:
        named = re.escape("the domain lookup named http://vep.example.com for agentVep")
        with pytest.raises(UrlRefused, match=named):
            await rest.lookup_domains("https://csds.example.com", ACCOUNT)
        with pytest.raises(UrlRefused, match=named):
            await rest.login("http://vep.example.com", ACCOUNT, USERNAME, PASSWORD)
    assert seen == [f"/api/account/{ACCOUNT}/service/baseURI.json"]


@pytest.mark.parametrize(
    ("base_uri", "readable"),
    [
        ("127.0.0.1:99999", "whose port is not a number from 1 to 65535"),
        ("127.0.0.1:http", "whose port is not a number from 1 to 65535"),
        ("bad host!", "which is not a valid host name"),
        ("", "which has no host"),
    ],
)
async def test_a_bad_host_or_port_from_the_lookup_is_a_readable_line_and_a_retry(
    platform: FakePlatform,
    start_live: StartLive,
    caplog: pytest.LogCaptureFixture,
    base_uri: str,
    readable: str,
) -> None:
    platform.domains["asyncMessagingEnt"] = base_uri
    start: asyncio.Future[Live] = asyncio.ensure_future(start_live())
    await until(lambda: platform.lookups >= 3, what="the lookup retried")
    assert platform.logins == 0
    lines = [r.getMessage() for r in caplog.records if "domain lookup failed" in r.getMessage()]
    assert lines and all(readable in line and "retrying in" in line for line in lines)
    assert not any(r.exc_info for r in caplog.records), "no traceback"
    del platform.domains["asyncMessagingEnt"]
    live = await asyncio.wait_for(start, timeout=5)
    assert live.floor.session.synced


async def test_dns_tls_and_refused_connections_are_readable_and_retryable(
    platform: FakePlatform,
) -> None:
    tls_to_plain = f"https://127.0.0.1:{platform.rest_port}"
    async with RestClient(timeout=2) as rest:
        for base, text in [
            ("https://no-such-host.invalid", "cannot reach no-such-host.invalid (ConnectError"),
            (tls_to_plain, "cannot reach 127.0.0.1 (ConnectError"),
            ("https://127.0.0.1:9", "cannot reach 127.0.0.1 (ConnectError"),
        ]:
            with pytest.raises(LinkError) as failed:
                await rest.lookup_domains(base, ACCOUNT)
            assert failed.value.retryable and str(failed.value).startswith(f"domain lookup: {text}")


async def test_a_redirect_from_agent_view_is_an_error_and_proves_nothing(
    platform: FakePlatform, start_live: StartLive
) -> None:
    platform.add_agent("a1")
    live = await start_live()
    floor = live.floor
    await until(lambda: floor.service.proof is not None, what="a first proof")
    switched = floor.clock.now()
    platform.agent_view_redirect = 302
    poller = floor._poller
    assert poller is not None
    await until(lambda: (poller.last_error or "").startswith("agent status: HTTP 302"))
    calls = platform.agent_view_calls
    await until(lambda: platform.agent_view_calls >= calls + 3, what="more polls")
    proof = floor.service.proof
    assert proof is not None and proof <= switched, "a redirect advanced the presence proof"
    assert poller.last_error is not None and "follows no redirects" in poller.last_error
    assert floor.status.detail == poller.last_error  # the header says why the feed is stale
    platform.agent_view_redirect = None
    await until(lambda: (floor.service.proof or 0) > switched, what="the proof moving again")


async def test_a_token_echoed_in_a_close_reason_is_redacted(
    platform: FakePlatform, start_live: StartLive, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    live = await start_live()
    token = platform.issued[-1]
    await platform.close_sockets(1011, f"bye {token} pw={PASSWORD} csrf=csrf-1")
    await until(lambda: live.types().count("feed.stale") >= 1, what="the close")
    client = live.floor._client
    assert client is not None
    await until(lambda: client.last_error is not None)
    error = client.last_error or ""
    assert error.startswith("closed by the platform (code 1011: bye *** pw=*** csrf=")
    stale = live.first("feed.stale").detail
    texts = [error, stale, *(r.getMessage() for r in caplog.records)]
    for text in texts:
        assert token not in text and PASSWORD not in text, text


async def test_a_flood_of_unknown_frames_writes_a_bounded_number_of_lines(
    platform: FakePlatform, start_live: StartLive, caplog: pytest.LogCaptureFixture
) -> None:
    live = await start_live(keepalive_interval=60)
    flood = 3000
    frame = json.dumps({"kind": "notification", "type": "no.SuchThing", "body": {}})
    for _ in range(flood):
        platform.send_raw(frame)
    stats = live.floor.stats
    await until(lambda: stats.dropped["unknown"] == flood, timeout=10, what="the flood counted")
    lines = [r for r in caplog.records if "unknown frame" in r.getMessage()]
    assert 1 <= len(lines) <= 2, [r.getMessage() for r in lines]
    assert stats.dropped_total == flood


async def test_watch_headless_ends_a_refused_url_with_one_readable_line_and_exit_1(
    platform: FakePlatform, tmp_path: Path
) -> None:
    platform.domains["agentVep"] = "http://10.9.8.7"
    config = {
        "account": ACCOUNT,
        "username": USERNAME,
        "password": PASSWORD,
        "csds_url": platform.csds_url,
        "insecure_http": True,
        "data_path": str(tmp_path / "floorwatch.db"),
    }
    path = tmp_path / "floorwatch.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}
    process = await asyncio.create_subprocess_exec(
        str(FLOORWATCH),
        "watch",
        "--config",
        str(path),
        "--headless",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    text = stderr.decode()
    assert process.returncode == 1, text
    assert "Traceback" not in text
    assert f"the domain lookup named http://10.9.8.7 for agentVep; {TLS_ONLY}" in text
    assert platform.logins == 0
