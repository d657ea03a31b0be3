"""A real `floorwatch watch --headless` whose data file is deleted while it runs: one clear
stderr line, it keeps running without acting, prints nothing more on stdout (nothing is
committed), and at SIGINT hands the unsaved events to stderr: nothing lost, no traceback."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

from tests.e2e.watch_support import (
    EVENT_TIMEOUT,
    next_line,
    reader,
    serve_fixtures,
    stop,
    watch,
    write_config,
)


def test_headless_watch_says_once_that_the_data_file_is_lost_and_stops_acting(
    tmp_path: Path,
) -> None:
    with serve_fixtures("away-agent", speed=4) as platform:
        process = watch(write_config(tmp_path, platform))
        try:
            lines = reader(process)
            deadline = time.monotonic() + EVENT_TIMEOUT
            while (line := next_line(lines, deadline)) is not None:
                if json.loads(line)["type"] == "feed.fresh":
                    break
            assert line is not None, "no feed.fresh"
            (tmp_path / "floor.sqlite3").unlink()
            later = next_line(lines, time.monotonic() + EVENT_TIMEOUT)
            assert later is None, f"committed after the file was lost: {later}"
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
            assert process.stderr is not None
            err = process.stderr.read()
        finally:
            stop(process)
    assert "Traceback" not in err, err
    [said] = [line for line in err.splitlines() if "not acting" in line]
    assert "floor.sqlite3 was deleted" in said
    kept = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    types = [record["type"] for record in kept]
    assert "unassign.sent" not in types and types[-1] == "feed.stale", types
