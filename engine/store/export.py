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
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from engine.core.audit import AuditEvent
from engine.core.text import clean

CSV_FIELDS = ("time", "at", "type", "conv", "agent", "reason", "by", "detail", "key", "as_of")
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


def write_csv(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """A header row, then one row per event; absent fields are empty. Returns the row count."""
    writer = csv.DictWriter(fp, fieldnames=CSV_FIELDS, restval="", lineterminator="\n")
    writer.writeheader()
    written = 0
    for event in events:
        writer.writerow(csv_record(event))
        written += 1
    return written


def write_jsonl(events: Iterable[AuditEvent], fp: TextIO) -> int:
    """One `AuditEvent.to_record()` JSON object per line. Returns the line count."""
    written = 0
    for event in events:
        fp.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
        written += 1
    return written
