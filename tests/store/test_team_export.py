"""`floorwatch audit export` of a team floor: the floor's whole log from PostgreSQL, each
event with the engine and the supervisor that wrote it, and nothing of another floor."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.core.overrides import Overrides
from engine.store.changes import diff
from engine.store.pg import PgStore

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
DECIDED = AuditEvent(
    at=10.0, type=AuditType.UNASSIGN_DECIDED, conv="c1", agent="a1", reason=Reason.AWAY, key="k1"
)
HOLD = AuditEvent(at=11.0, type=AuditType.OVERRIDE_HOLD, conv="c2", by="Eli", detail="=VIP")


def _export(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLOORWATCH_STORE": url, "FLOORWATCH_FLOOR": "f1"}
    command = [str(FLOORWATCH), "audit", "export", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


def _write_floor(url: str) -> None:
    """Dana's engine acts on f1, Eli commands from his; floor f2 has an event of its own."""
    dana = PgStore.open(url, floor="f1", engine="dana@desk1", supervisor="Dana")
    eli = PgStore.open(url, floor="f1", engine="eli@desk2", supervisor="Eli")
    other = PgStore.open(url, floor="f2", engine="fay@desk3", supervisor="Fay")
    try:
        assert dana.acquire(ttl=30) is not None
        dana.append([DECIDED])
        eli.commit_command([HOLD], diff(Overrides(), Overrides()))
        assert other.acquire(ttl=30) is not None
        other.append([AuditEvent(at=12.0, type=AuditType.FEED_STALE)])
    finally:
        for store in (dana, eli, other):
            store.close()


def test_a_team_floor_exports_as_csv_with_who_wrote_each_event(postgres_url: str) -> None:
    _write_floor(postgres_url)
    done = _export(postgres_url)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["type"], r["conv"], r["engine"], r["supervisor"]) for r in rows] == [
        ("unassign.decided", "c1", "dana@desk1", "Dana"),
        ("override.hold", "c2", "eli@desk2", "Eli"),
    ]
    assert rows[1]["detail"] == "'=VIP"  # a spreadsheet formula stays text
    assert rows[0]["key"] == "k1" and rows[0]["time"] == "1970-01-01T00:00:10.000Z"


def test_a_team_floor_exports_as_json_lines_and_another_floor_by_flag(postgres_url: str) -> None:
    _write_floor(postgres_url)
    done = _export(postgres_url, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["type"], r["engine"], r["supervisor"]) for r in records] == [
        ("unassign.decided", "dana@desk1", "Dana"),
        ("override.hold", "eli@desk2", "Eli"),
    ]
    assert records[1]["detail"] == "=VIP"  # JSON keeps the text exactly
    other = _export(postgres_url, "--floor", "f2", "--format", "jsonl")
    assert [json.loads(line)["engine"] for line in other.stdout.splitlines()] == ["fay@desk3"]


def test_an_unreachable_store_exits_1_naming_it_without_its_password(tmp_path: Path) -> None:
    url = "postgresql://dana:s3cret-pw@127.0.0.1:9/floor"  # port 9: nothing listens
    done = _export(url)
    assert done.returncode == 1
    assert done.stderr.startswith("audit export: ")
    assert "127.0.0.1" in done.stderr and "s3cret-pw" not in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
