"""Domain lookup, login and secrets: refused logins, missing services, redaction."""

from __future__ import annotations

import asyncio
import logging
import traceback
from pathlib import Path

import pytest
from live_harness import StartLive, live_config, until
from live_platform import FakePlatform
from live_wire import ACCOUNT, PASSWORD, USERNAME

from engine.core import AuditType
from engine.link.client import brand_url
from engine.link.errors import LinkError, LoginRefused
from engine.link.redact import redact
from engine.link.rest import RestClient
from engine.runner import run_live


async def test_domain_lookup_and_login(platform: FakePlatform) -> None:
    async with RestClient(insecure_http=True) as rest:
        domains = await rest.lookup_domains(platform.csds_url, ACCOUNT)
        assert domains["asyncMessagingEnt"] == f"127.0.0.1:{platform.ws_port}"
        login = await rest.login(domains["agentVep"], ACCOUNT, USERNAME, PASSWORD)
        assert login.bearer in platform.tokens and login.config.user_id == "900"
        await rest.refresh(domains["agentVep"], ACCOUNT, login.csrf or "")
        view = await rest.agent_view(domains["msgHist"], ACCOUNT, login.bearer)
        assert view.agent_status_records == []


async def test_a_refused_login_names_the_user_and_never_the_password(
    platform: FakePlatform, tmp_path: Path
) -> None:
    wrong = "hunter2-not-the-password"
    async with RestClient(insecure_http=True) as rest:
        domains = await rest.lookup_domains(platform.csds_url, ACCOUNT)
        with pytest.raises(LoginRefused) as refused:
            await rest.login(domains["agentVep"], ACCOUNT, USERNAME, wrong)
    message = str(refused.value)
    assert message.startswith(f"login refused for user {USERNAME!r}: HTTP 401")
    assert "Invalid username or password" in message
    assert wrong not in message

    config = live_config(platform, tmp_path, password=wrong)
    with pytest.raises(LoginRefused) as from_runner:
        await asyncio.wait_for(run_live(config), timeout=3)
    assert wrong not in "".join(traceback.format_exception(from_runner.value))


async def test_a_missing_service_is_named(platform: FakePlatform, tmp_path: Path) -> None:
    platform.services.discard("asyncMessagingEnt")
    with pytest.raises(LinkError, match="has no asyncMessagingEnt service") as missing:
        await asyncio.wait_for(run_live(live_config(platform, tmp_path)), timeout=3)
    assert not missing.value.retryable

    platform.services = {"agentVep", "asyncMessagingEnt"}
    with pytest.raises(LinkError, match=r"no msgHist service.*presence: push"):
        await asyncio.wait_for(run_live(live_config(platform, tmp_path)), timeout=3)


async def test_an_unknown_account_is_not_retried(platform: FakePlatform) -> None:
    async with RestClient(insecure_http=True) as rest:
        with pytest.raises(LinkError, match="account 999 is unknown") as unknown:
            await rest.lookup_domains(platform.csds_url, "999")
    assert not unknown.value.retryable


async def test_an_unreachable_platform_is_retried(tmp_path: Path) -> None:
    async with RestClient(insecure_http=True, timeout=1) as rest:
        with pytest.raises(LinkError, match=r"cannot reach 127\.0\.0\.1") as unreachable:
            await rest.lookup_domains("http://127.0.0.1:9", ACCOUNT)
    assert unreachable.value.retryable


def test_redact_hides_the_bearer_segment() -> None:
    url = brand_url("h:1", ACCOUNT, "s3cr3t-TOKEN", insecure=False)
    assert url == f"wss://h:1/ws_api/account/{ACCOUNT}/messaging/brand/s3cr3t-TOKEN?v=2.1"
    assert redact(url) == f"wss://h:1/ws_api/account/{ACCOUNT}/messaging/brand/***?v=2.1"
    assert "s3cr3t" not in redact(f"GET {url.removeprefix('wss://h:1')} HTTP/1.1")
    assert "tok/en" not in redact(brand_url("127.0.0.1", ACCOUNT, "tok/en", insecure=True))


async def test_no_log_record_of_a_full_cycle_holds_a_secret(
    platform: FakePlatform, start_live: StartLive, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    platform.add_agent("a1")
    platform.open_conversation("c1", "a1")
    live = await start_live()
    platform.consumer_message("c1")
    await until(lambda: AuditType.UNASSIGN_CONFIRMED in live.types("c1"))
    platform.drop()
    await until(lambda: live.types().count("feed.fresh") == 2, what="reconnect")
    platform.revoke_tokens()
    await platform.close_sockets(4401)
    await until(lambda: live.types().count("feed.fresh") == 3, what="login again")
    await live.stop()

    assert len(platform.issued) == platform.logins == 2
    secrets = [PASSWORD, *platform.issued]
    handshakes = [r for r in caplog.records if "/messaging/brand/" in r.getMessage()]
    assert handshakes, "expected the websocket handshake to be logged (redacted)"
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        for secret in secrets:
            assert secret not in text, f"{record.name} logged a secret: {text[:120]}"
    for event in live.audit:
        assert not any(secret in event.detail for secret in secrets)
