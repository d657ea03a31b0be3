"""Each tab of `floorwatch web` is a session process of its own: a closed tab ends it,
Ctrl-C ends them all, and a session that cannot start (a data file another Floorwatch
holds) says why on the tab, which stays open, instead of leaving it blank."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path

import pytest
from web_support import alive, children, wait_for, web
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from engine.store import Store

FIRST_SCREEN = 30.0


def open_tab(url: str) -> ClientConnection:
    return connect(
        url.replace("http://", "ws://") + "ws?width=120&height=40", origin=Origin(url.rstrip("/"))
    )


def screen_text(tab: ClientConnection, until: str, timeout: float) -> str:
    """What the tab was sent (as text) until it holds `until`."""
    seen = ""
    while until not in seen:
        message = tab.recv(timeout=timeout)
        if isinstance(message, bytes):
            seen += message.decode("utf-8", "replace")
    return seen


def test_each_tab_is_a_process_that_ends_with_its_tab_and_all_end_on_ctrl_c() -> None:
    with web(["--demo", "--port", "0"]) as served:
        url, server = served.url(), served.process.pid
        with open_tab(url) as first, open_tab(url) as second:
            assert isinstance(first.recv(timeout=FIRST_SCREEN), bytes)
            assert isinstance(second.recv(timeout=FIRST_SCREEN), bytes)
            pids = children(server)
            assert len(pids) == 2
            assert all(os.getpgid(pid) == pid for pid in pids)  # each leads its own group

            first.close()
            wait_for("one closed tab's process to end", lambda: len(children(server)) == 1, 20)
            (left,) = children(server)
            assert left in pids

            assert served.stop() == 0  # Ctrl-C with a tab still open
            assert not any(alive(pid) for pid in pids)
            with contextlib.suppress(ConnectionClosed):
                while second.recv(timeout=5):
                    pass
        assert "floorwatch web: stopped" in served.output


@pytest.mark.parametrize("how", [signal.SIGHUP, signal.SIGKILL])
def test_a_server_that_dies_or_loses_its_terminal_leaves_no_session(how: signal.Signals) -> None:
    with web(["--demo", "--port", "0"]) as served, open_tab(served.url()) as tab:
        assert isinstance(tab.recv(timeout=FIRST_SCREEN), bytes)
        (session,) = children(served.process.pid)
        served.process.send_signal(how)
        served.process.wait(20)
        wait_for("the session process to end", lambda: not alive(session), 20)


def test_a_refused_data_file_is_shown_on_the_tab(tmp_path: Path) -> None:
    data = tmp_path / "floor.sqlite3"
    config = tmp_path / "floor.json"
    settings = {
        "account": "1",
        "username": "u",
        "password": "p",
        "csds_url": "http://127.0.0.1:9",
        "insecure_http": True,
        "data_path": str(data),
    }
    config.write_text(json.dumps(settings))
    holder = Store.open(data)  # another Floorwatch writes this floor's data file
    try:
        with web(["--config", str(config), "--port", "0"]) as served:
            with open_tab(served.url()) as tab:
                shown = screen_text(tab, "try again", FIRST_SCREEN)
                assert "This dashboard could not start." in shown
                assert f"in use by another Floorwatch (pid {os.getpid()})" in shown
                assert children(served.process.pid) == set()
                with pytest.raises(TimeoutError):  # the tab stays open, the reason on it
                    tab.recv(timeout=1)
            assert served.stop() == 0
    finally:
        holder.close()
