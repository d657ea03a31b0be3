"""A real `floorwatch web` process for the tests: started, its address read, stopped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
BANNER = re.compile(r"floorwatch web: serving .* on (http://\S+/)")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
T = TypeVar("T")


class WebProcess:
    """`floorwatch web ARGS`, its output kept line by line (stdout and stderr together)."""

    def __init__(self, args: Sequence[str], env: dict[str, str] | None = None) -> None:
        if env is None:  # no token unless the test gives one
            env = {k: v for k, v in os.environ.items() if k != "FLOORWATCH_WEB_TOKEN"}
        self.process = subprocess.Popen(
            [str(FLOORWATCH), "web", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def url(self) -> str:
        """The address it serves, once it says so."""
        found = wait_for("the server's address", lambda: BANNER.search(self.output), START_TIMEOUT)
        return found[1]

    def stop(self) -> int:
        """Ctrl-C (SIGINT), as at a terminal; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(STOP_TIMEOUT)
        self._reader.join(STOP_TIMEOUT)
        return code


@contextmanager
def web(args: Sequence[str], env: dict[str, str] | None = None) -> Iterator[WebProcess]:
    served = WebProcess(args, env)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()


def wait_for(what: str, found: Callable[[], T | None], timeout: float) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = found()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid` (from /proc)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
