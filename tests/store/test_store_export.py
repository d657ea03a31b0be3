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
        assert out.getvalue() == "at,type,conv,agent,reason,by,detail,key,as_of\n"
        out = io.StringIO()
        assert store.export_jsonl(out) == 0
        assert out.getvalue() == ""
