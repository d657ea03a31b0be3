"""The audit log as files a spreadsheet or a script can read.

CSV is made safe for spreadsheets (OWASP, "CSV Injection"): a text cell that begins with `=`,
`+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote `'`, so no
spreadsheet takes it for a formula; cells holding the separator, a quote or a line break are
quoted (as `csv` does). Control characters are then replaced (`engine.core.text.clean`), so
the file holds none but its own line ends. Numbers (`at`, `as_of`) are written as they are:
a number is never a formula. The first column, `time`, is `at` as ISO-8601 UTC text
(`2026-12-02T07:49:49.250Z`), for people and spreadsheets; `at` stays epoch seconds, for
scripts. JSON lines keep every text exactly (JSON escapes controls) and carry `at` only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from engine.core.audit import AuditEvent
from engine.core.text import clean

CSV_FIELDS = ("time", "at", "type", "conv", "agent", "reason", "by", "detail", "key", "as_of")
WRITER_FIELDS = ("engine", "supervisor")
"""A team floor's export adds who wrote each event: the engine, and its dashboard's
supervisor."""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would read as a formula begins."""


def csv_cell(value: Any) -> Any:
    """One cell as written to CSV: text neutralised and cleaned, anything else unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return clean(value)


def iso_utc(epoch_seconds: float) -> str:
    """Epoch seconds as ISO-8601 UTC to the millisecond: `2026-12-02T07:49:49.250Z` (empty
    for a time no calendar holds: `at` still shows what the file says)."""
    try:
        moment = datetime.fromtimestamp(epoch_seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return ""
    return moment.isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


def csv_record(event: AuditEvent) -> dict[str, Any]:
    """The row one event becomes (fields it does not have are left out, written empty)."""
    row = {field: csv_cell(value) for field, value in event.to_record().items()}
    return {"time": iso_utc(event.at), **row}


Written = tuple[AuditEvent, str, str]
"""An event of a team floor, the engine that wrote it, and that dashboard's supervisor."""


def write_csv(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """A header row, then one row per event; absent fields are empty. Returns the row count."""
    writer = csv.DictWriter(fp, fieldnames=CSV_FIELDS, restval="", lineterminator="\n")
    writer.writeheader()
    written = 0
    for event in events:
        writer.writerow(csv_record(event))
        written += 1
    return written


def write_team_csv(rows: Iterable[Written], fp: TextIO) -> int:
    """`write_csv` with the writer's columns (`WRITER_FIELDS`) after the event's."""
    fields = (*CSV_FIELDS, *WRITER_FIELDS)
    writer = csv.DictWriter(fp, fieldnames=fields, restval="", lineterminator="\n")
    writer.writeheader()
    written = 0
    for event, engine, supervisor in rows:
        writer.writerow(csv_record(event) | _writer(engine, supervisor, csv_cell))
        written += 1
    return written


def write_jsonl(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """One `AuditEvent.to_record()` JSON object per line. Returns the line count."""
    return _lines((event.to_record() for event in events), fp)


def write_team_jsonl(rows: Iterable[Written], fp: TextIO) -> int:
    """`write_jsonl` with the writer's fields in each object."""
    records = (e.to_record() | _writer(engine, who, str) for e, engine, who in rows)
    return _lines(records, fp)


def _writer(engine: str, supervisor: str, cell: Callable[[str], Any]) -> dict[str, Any]:
    return {"engine": cell(engine), "supervisor": cell(supervisor)}


def _lines(records: Iterable[dict[str, Any]], fp: TextIO) -> int:
    written = 0
    for record in records:
        fp.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written
