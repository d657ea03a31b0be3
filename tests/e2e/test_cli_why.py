"""`{"why": "c1"}` on the stdin of `floorwatch watch --headless --commands` is answered on
stdout in one line: why the conversation has not been unassigned yet."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from queue import Queue

from watch_support import (
    EVENT_TIMEOUT,
    FLOORWATCH,
    clean_env,
    next_line,
    reader,
    serve_fixtures,
    stop,
    write_config,
)


def ask(process: subprocess.Popen[str], lines: Queue[str], line: str) -> dict[str, object]:
    """Write one line, then read stdout up to the answer (audit lines come in between)."""
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()
    deadline = time.monotonic() + EVENT_TIMEOUT
    while (printed := next_line(lines, deadline)) is not None:
        record: dict[str, object] = json.loads(printed)
        if "why" in record:
            return record
    raise AssertionError(f"no answer to {line}")


def test_why_is_answered_on_stdout(tmp_path: Path) -> None:
    with serve_fixtures("away-agent", speed=1) as platform:
        policy = {"online": 60, "away": 30, "offline": 10}
        config = write_config(tmp_path, platform, supervisor="Sam", policy=policy)
        process = subprocess.Popen(
            [str(FLOORWATCH), "watch", "--config", str(config), "--headless", "--commands"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=clean_env(),
        )
        try:
            lines = reader(process)
            deadline = time.monotonic() + EVENT_TIMEOUT
            while (line := next_line(lines, deadline)) is not None:
                if json.loads(line)["type"] == "feed.fresh":
                    break
            counting = ask(process, lines, '{"why": "c1"}')
            assert counting["kind"] == "counting", counting
            assert str(counting["answer"]).startswith("due in 0:"), counting
            assert "threshold" in str(counting["answer"]), counting
            held = ask(process, lines, '{"hold": "c1"}\n{"why": "c1"}')  # read in order
            assert held == {"why": "c1", "kind": "held", "answer": "held by Sam until released"}
            gone = ask(process, lines, '{"why": "c404"}')
            assert gone["kind"] == "unwatched", gone
        finally:
            stop(process)
