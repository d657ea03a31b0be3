"""A writer killed in the middle of a transaction loses nothing it had committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from engine.core.audit import AuditEvent, AuditType
from engine.store import Store, StoreError

CHILD = """
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from engine.core.audit import AuditEvent, AuditType
from engine.store import Store


class Stalled(Sequence):
    # A batch that stops before its end: the rows before the stall are written, uncommitted.
    def __len__(self):
        return ROWS + 1

    def __getitem__(self, i):
        if i == ROWS:
            print("stalled", flush=True)
            time.sleep(600)
        return AuditEvent(at=1000.0 + i, type=AuditType.FEED_STALE, detail="lost " + "x" * 500)


ROWS = 20_000
store = Store.open(Path(sys.argv[1]))
for b in range(3):
    batch = [
        AuditEvent(at=b * 10.0 + i, type=AuditType.FEED_FRESH, detail=f"{b}/{i}")
        for i in range(10)
    ]
    store.append(batch)
print("committed", flush=True)
store.append(Stalled())
"""

COMMITTED = [
    AuditEvent(at=b * 10.0 + i, type=AuditType.FEED_FRESH, detail=f"{b}/{i}")
    for b in range(3)
    for i in range(10)
]


def child_env() -> dict[str, str]:
    root = str(Path(engine.__file__).resolve().parents[1])
    inherited = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{inherited}" if inherited else root}


def test_sigkill_mid_transaction_keeps_every_committed_event(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "committed\n"
        assert child.stdout.readline() == "stalled\n"
        # The uncommitted rows overflowed SQLite's cache: they are on disk, in the WAL.
        assert (tmp_path / "fw.db-wal").stat().st_size > 4_000_000
        with pytest.raises(StoreError, match=f"in use by another Floorwatch \\(pid {child.pid}\\)"):
            Store.open(path)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()

    with Store.open(path) as store:  # the dead writer's lock went with it
        assert [event for _, event in store.audit()] == COMMITTED
        assert store.audit_count() == len(COMMITTED)
