"""Who may open `floorwatch web`: loopback only without a token; with one, every page, file
and websocket request carries it (as `?token=` once, then as a cookie), a wrong or missing one
gets a 403 page, and the token appears in no output and in no session process."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest
from web_support import FLOORWATCH, alive, children, wait_for, web
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tui.web.access import is_loopback

TOKEN = "s3cret-Token-4711"


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "ws?width=100&height=30"


def open_tab(url: str, **headers: str) -> ClientConnection:
    """A websocket as a tab of the server's page opens it (its Origin), with `headers`."""
    page = Origin(headers.pop("Origin", url.rstrip("/")))
    return connect(ws_url(url), origin=page, additional_headers=headers)


def refused_status(url: str, **headers: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        open_tab(url, **headers).close()
    return refused.value.response.status_code


def test_off_loopback_without_a_token_it_refuses_to_start() -> None:
    env = {k: v for k, v in os.environ.items() if k != "FLOORWATCH_WEB_TOKEN"}
    for host in ("0.0.0.0", "192.0.2.7", "floor.example.com"):
        done = subprocess.run(
            [str(FLOORWATCH), "web", "--demo", "--host", host, "--port", "0"],
            capture_output=True,
            text=True,
            env=env,
            timeout=30,
            check=False,
        )
        assert done.returncode == 2
        assert f"{host} is not a loopback address: set --token or FLOORWATCH_WEB_TOKEN" in (
            done.stderr
        )


def test_a_wrong_or_missing_token_gets_a_403_page_and_the_right_one_opens_it() -> None:
    env = {**os.environ, "FLOORWATCH_WEB_TOKEN": TOKEN}
    with web(["--demo", "--port", "0"], env=env) as served:
        url = served.url()
        with httpx.Client(base_url=url, timeout=10) as client:
            for path in ("/", "/?token=wrong", "/static/js/textual.js", f"/?token={TOKEN}x"):
                page = client.get(path)
                assert page.status_code == 403, path
                assert "needs its access token" in page.text and TOKEN not in page.text
            assert refused_status(url) == 403

            given = client.get(f"/?fontsize=14&token={TOKEN}")
            assert given.status_code == 303
            assert given.headers["location"] == "/?fontsize=14"  # the token leaves the address
            cookie = given.headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            client.cookies.set("floorwatch_token", TOKEN)
            page = client.get("/?fontsize=14")
            assert page.status_code == 200 and "data-session-websocket-url" in page.text
            assert client.get("/static/js/textual.js").status_code == 200

        before = children(served.process.pid)
        with open_tab(url, Cookie=f"floorwatch_token={TOKEN}") as tab:
            assert isinstance(tab.recv(timeout=30), bytes)  # the dashboard draws
            (session,) = children(served.process.pid) - before
            proc = Path(f"/proc/{session}")
            assert TOKEN.encode() not in (proc / "environ").read_bytes()
            assert TOKEN.encode() not in (proc / "cmdline").read_bytes()
        wait_for("the closed tab's session to end", lambda: not alive(session), 20)
        assert served.stop() == 0
    assert TOKEN not in served.output
    assert "floorwatch web: stopped" in served.output


def test_without_a_token_only_loopback_names_and_its_own_pages_are_answered() -> None:
    with web(["--demo", "--port", "0"]) as served:
        url = served.url()
        port = url.rsplit(":", 1)[1].rstrip("/")
        with httpx.Client(base_url=url, timeout=10) as client:
            assert client.get("/").status_code == 200
            rebound = client.get("/", headers={"Host": f"floor.example.com:{port}"})
            assert rebound.status_code == 403  # a name rebound to 127.0.0.1 is not loopback
        assert refused_status(url, Origin="http://floor.example.com") == 403
        with open_tab(url) as tab:
            assert isinstance(tab.recv(timeout=30), bytes)
        assert served.stop() == 0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("LocalHost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("localhost.evil.example", False),
    ],
)
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
