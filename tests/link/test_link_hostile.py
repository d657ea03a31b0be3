"""The link's defences without sockets: TLS-only URLs, secret redaction, rate-limited drops."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from engine.link.droplog import DropLog
from engine.link.errors import LinkError
from engine.link.redact import SECRETS, redact, redacting_logger, register_secret
from engine.link.session import LinkSession
from engine.link.urls import TLS_ONLY, UrlRefused, is_loopback_host, service_root


@pytest.fixture(autouse=True)
def no_secrets() -> Iterator[None]:
    SECRETS.clear()
    yield
    SECRETS.clear()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.200.3.4", "::1", "[::1]", "localhost"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["10.0.0.1", "localhost.evil.com", "128.0.0.1", "::2", ""])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


def test_tls_unless_insecure_on_loopback() -> None:
    root = service_root
    assert root("h.example.com:443", source="s", insecure=False) == "https://h.example.com:443"
    assert (
        root("h.example.com", source="s", insecure=False, websocket=True) == "wss://h.example.com"
    )
    assert root("https://h.example.com/x/", source="s", insecure=True) == "https://h.example.com/x"
    assert root("127.0.0.1:8", source="s", insecure=True, websocket=True) == "ws://127.0.0.1:8"
    assert root("http://[::1]:8", source="s", insecure=True) == "http://[::1]:8"
    for value, insecure in [
        ("http://127.0.0.1:8", False),
        ("ws://127.0.0.1:8", False),
        ("http://10.0.0.1", True),
        ("10.0.0.1:80", True),
        ("ftp://127.0.0.1", True),
    ]:
        with pytest.raises(UrlRefused) as refused:
            root(value, source="the domain lookup", purpose="for agentVep", insecure=insecure)
        assert str(refused.value).startswith(f"the domain lookup named {value} for agentVep")
        assert str(refused.value).endswith(TLS_ONLY) and not refused.value.retryable


@pytest.mark.parametrize("value", ["h:0", "h:65536", "h:-1", "h:8a", "a b", "a..b", "[::1", ":80"])
def test_a_malformed_host_or_port_is_a_retryable_readable_error(value: str) -> None:
    with pytest.raises(LinkError) as bad:
        service_root(value, source="the domain lookup", insecure=False)
    assert bad.value.retryable and str(bad.value).startswith(f"the domain lookup named {value}")


def test_registered_secrets_are_redacted_wherever_they_appear() -> None:
    register_secret("hunter2-password")
    register_secret("tok/abc-123")
    register_secret("csrf-xyz")
    register_secret("ab")  # too short to mask safely
    text = "pw hunter2-password, bearer tok/abc-123 (tok%2Fabc-123), csrf-xyz, ab"
    assert redact(text) == "pw ***, bearer *** (***), ***, ab"
    error = LinkError("closed by the platform (code 1011: tok/abc-123)")
    assert str(error) == "closed by the platform (code 1011: ***)"


def test_the_redacting_filter_cleans_messages_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    register_secret("s3cr3t-value")
    log = redacting_logger("tests.link.redact")
    try:
        raise RuntimeError("s3cr3t-value inside")
    except RuntimeError:
        log.exception("failed with %s", "s3cr3t-value")
    record = caplog.records[-1]
    assert "s3cr3t" not in record.getMessage() and "s3cr3t" not in (record.exc_text or "")


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tests.link.drops"]


def test_drop_log_writes_one_line_per_kind_and_interval(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    drops = DropLog(logging.getLogger("tests.link.drops"), interval=10.0)
    for i in range(1000):
        drops.note("unknown", f"type t{i}", now=i * 0.001)
        drops.note("malformed", "not JSON", now=i * 0.001)
    assert _lines(caplog) == [
        "dropped an unknown frame: type t0",
        "dropped a malformed frame: not JSON",
    ]
    drops.flush(now=5.0)
    assert len(_lines(caplog)) == 2, "the interval is not over"
    drops.flush(now=10.0)
    assert _lines(caplog)[2:] == [
        "dropped 999 more unknown frames in the last 10 s (the latest: type t999)",
        "dropped 999 more malformed frames in the last 10 s (the latest: not JSON)",
    ]
    drops.flush(now=20.0)  # quiet since: the kinds are forgotten, the next drop shows at once
    drops.note("unknown", "again", now=21.0)
    assert _lines(caplog)[4:] == ["dropped an unknown frame: again"]


def test_the_session_counts_a_flood_exactly_and_logs_it_boundedly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    session = LinkSession(brand_id="1", push_presence=False)
    session.connected(0.0)
    frame = json.dumps({"kind": "notification", "type": "no.SuchThing", "body": {}})
    for i in range(5000):
        session.receive(frame, now=i * 0.001)
    session.timer(now=11.0)
    lines = [r.getMessage() for r in caplog.records if "unknown frame" in r.getMessage()]
    assert len(lines) == 2 and lines[1].startswith("dropped 4999 more unknown frames")
    assert session.stats.dropped["unknown"] == 5000
