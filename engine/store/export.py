"""The audit log as files a spreadsheet or a script can read."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from engine.core.audit import AuditEvent

CSV_FIELDS = ("at", "type", "conv", "agent", "reason", "by", "detail", "key", "as_of")


def write_csv(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """A header row, then one row per event; absent fields are empty. Returns the row count."""
    writer = csv.DictWriter(fp, fieldnames=CSV_FIELDS, restval="", lineterminator="\n")
    writer.writeheader()
    written = 0
    for event in events:
        writer.writerow(event.to_record())
        written += 1
    return written


def write_jsonl(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """One `AuditEvent.to_record()` JSON object per line. Returns the line count."""
    written = 0
    for event in events:
        fp.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
        written += 1
    return written
