"""The audit log exported as CSV and as JSON lines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.store import Store

EVENTS = [
    AuditEvent(
        at=30.0,
        type=AuditType.UNASSIGN_DECIDED,
        conv="c1",
        agent="a1",
        reason=Reason.AWAY,
        key="k",
        as_of=29.5,
    ),
    AuditEvent(
        at=31.25, type=AuditType.OVERRIDE_HOLD, conv="c2", by="Zoë", detail='said "wait", ok'
    ),
    AuditEvent(at=32.0, type=AuditType.FEED_STALE),
]


def exported(tmp_path: Path, fmt: str) -> str:
    with Store.open(tmp_path / "fw.db") as store:
        store.append(EVENTS)
        out = io.StringIO()
        count = store.export_csv(out) if fmt == "csv" else store.export_jsonl(out)
    assert count == len(EVENTS)
    return out.getvalue()


def test_jsonl_is_one_record_per_line(tmp_path: Path) -> None:
    lines = exported(tmp_path, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == [e.to_record() for e in EVENTS]
    assert lines[0] == (
        '{"at": 30.0, "type": "unassign.decided", "conv": "c1", "agent": "a1", '
        '"reason": "away", "by": "engine", "key": "k", "as_of": 29.5}'
    )


def test_csv_has_a_header_and_every_field(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(tmp_path, "csv"))))
    assert rows == [
        {
            "time": "1970-01-01T00:00:30.000Z",
            "at": "30.0",
            "type": "unassign.decided",
            "conv": "c1",
            "agent": "a1",
            "reason": "away",
            "by": "engine",
            "detail": "",
            "key": "k",
            "as_of": "29.5",
        },
        {
            "time": "1970-01-01T00:00:31.250Z",
            "at": "31.25",
            "type": "override.hold",
            "conv": "c2",
            "agent": "",
            "reason": "",
            "by": "Zoë",
            "detail": 'said "wait", ok',
            "key": "",
            "as_of": "",
        },
        {
            "time": "1970-01-01T00:00:32.000Z",
            "at": "32.0",
            "type": "feed.stale",
            "conv": "",
            "agent": "",
            "reason": "",
            "by": "engine",
            "detail": "",
            "key": "",
            "as_of": "",
        },
    ]


def test_empty_log_exports_a_header_only(tmp_path: Path) -> None:
    with Store.open(tmp_path / "fw.db") as store:
        out = io.StringIO()
        assert store.export_csv(out) == 0
        assert out.getvalue() == "time,at,type,conv,agent,reason,by,detail,key,as_of\n"
        out = io.StringIO()
        assert store.export_jsonl(out) == 0
        assert out.getvalue() == ""


def test_csv_time_is_iso_8601_utc_beside_the_epoch_seconds(tmp_path: Path) -> None:
    """`time` is for people and spreadsheets, `at` (epoch seconds) for scripts; a time no
    calendar holds leaves `time` empty and `at` as the file says."""
    events = [
        AuditEvent(at=1_796_197_789.25, type=AuditType.FEED_STALE),
        AuditEvent(at=1e300, type=AuditType.FEED_STALE),
    ]
    with Store.open(tmp_path / "fw.db") as store:
        store.append(events)
        out = io.StringIO()
        store.export_csv(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(row["time"], row["at"]) for row in rows] == [
        ("2026-12-02T07:49:49.250Z", "1796197789.25"),
        ("", "1e+300"),
    ]
