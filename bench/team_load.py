"""What a team floor's acting engine writes to PostgreSQL, at 100k open conversations.

A generated floor (`fixtures.generate`: agents stepping away, late replies, a policy change)
is replayed for an hour in virtual time; its audit, per open conversation, is the floor's
write rate. That hour is then written to a private PostgreSQL floor as the acting engine's
service commits it (one transaction per 0.25 s tick that has events), with each line repeated
under other conversation ids, each copy at its own offset in the hour, until the floor holds
`OPEN` conversations at once. Measured:
rows and commits per floor-hour, rows per second, the audit table's growth, and the database
time the hour's writes took (every commit one after the other, on this machine).
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

from bench.report import Row, Settings
from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from engine.store.pg import PgStore
from fixtures.generate import FloorShape, floor
from fixtures.postgres import PostgresUnavailableError, private_postgres, why_unavailable
from fixtures.replay import replay
from fixtures.scenario import parse_scenario

OPEN, QUICK_OPEN = 100_000, 1_000
"""Conversations open at once on the floor measured."""
SHAPE = FloorShape(agents=60, conversations=2_000, hours=1.0)
TICK = 0.25
"""The live service's tick: at most one commit per tick carries the audit it produced."""
HOUR = 3600.0
GOLDEN = 0.6180339887
"""Offsets copy after copy by this share of the hour fall evenly over it."""


def _event(record: dict[str, Any]) -> AuditEvent:
    reason = record.get("reason")
    return AuditEvent(
        at=float(record["at"]),
        type=AuditType(record["type"]),
        conv=record.get("conv"),
        agent=record.get("agent"),
        reason=Reason(reason) if reason is not None else None,
        by=record.get("by", "engine"),
        detail=record.get("detail", ""),
        key=record.get("key"),
        as_of=record.get("as_of"),
    )


def _open_conversation_hours(document: dict[str, Any]) -> float:
    """How many conversation-hours the floor held open (opened until closed, or the end)."""
    end = float(document["until"])
    opened = {c["id"]: 0.0 for c in document["conversations"]}
    closed: dict[str, float] = {}
    for step in document["timeline"]:
        if "open_conversation" in step:
            opened[step["open_conversation"]["id"]] = float(step["at"])
        elif "close_conversation" in step:
            closed[step["close_conversation"]["conv"]] = float(step["at"])
    return sum(closed.get(conv, end) - at for conv, at in opened.items()) / HOUR


def _batches(events: Sequence[AuditEvent], copies: int) -> Iterator[list[AuditEvent]]:
    """The hour's commits, tick by tick: each event once per copy, under its copy's ids, each
    copy's hour shifted by its own offset (wrapping round), as independent conversations
    spread over the hour."""
    ticks = int(HOUR / TICK)
    by_tick: dict[int, list[AuditEvent]] = defaultdict(list)
    for event in events:
        by_tick[int(event.at // TICK) % ticks].append(event)
    shifts = [int(copy * GOLDEN * ticks) % ticks for copy in range(copies)]
    for tick in range(ticks):
        batch = []
        for copy, shift in enumerate(shifts):
            for event in by_tick.get((tick - shift) % ticks, ()):
                if event.conv is None and copy > 0:
                    continue  # a floor-wide line (feed fresh, policy changed) is written once
                conv = f"{event.conv}.{copy}" if event.conv is not None else None
                key = f"{event.key}.{copy}" if event.key is not None else None
                at = tick * TICK + event.at % TICK
                batch.append(dataclasses.replace(event, at=at, conv=conv, key=key))
        if batch:
            yield batch


def _write_hour(url: str, events: Sequence[AuditEvent], copies: int) -> tuple[int, int, float]:
    """Commit the hour's batches to a fresh floor: (rows, commits, seconds of writing)."""
    store = PgStore.open(url, floor="load", engine="bench", supervisor="bench")
    try:
        assert store.acquire(ttl=HOUR) is not None
        rows = commits = 0
        spent = 0.0
        for batch in _batches(events, copies):
            start = time.perf_counter()
            store.append(batch)
            spent += time.perf_counter() - start
            rows, commits = rows + len(batch), commits + 1
        return rows, commits, spent
    finally:
        store.close()


def _table_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_total_relation_size('audit')").fetchone()
        return int(row[0]) if row is not None else 0


def run(settings: Settings) -> list[Row]:
    unavailable = why_unavailable()
    if unavailable is not None:
        return [Row("team", "PostgreSQL load", f"not measured: {unavailable}")]
    open_goal = QUICK_OPEN if settings.quick else OPEN
    shape = dataclasses.replace(SHAPE, conversations=200) if settings.quick else SHAPE
    document = floor("team-load", shape)
    records = replay(parse_scenario(document)).records
    events = [_event(r) for r in records]
    open_at_once = _open_conversation_hours(document)  # over one hour: the mean open count
    copies = max(1, round(open_goal / open_at_once))
    try:
        with private_postgres() as server:
            url = server.new_database()
            rows, commits, spent = _write_hour(url, events, copies)
            size = _table_bytes(url)
    except PostgresUnavailableError as e:
        return [Row("team", "PostgreSQL load", f"not measured: {e}")]
    floor_size = f"{copies * open_at_once:,.0f} open"
    per_conv = len(events) / open_at_once
    return [
        Row("team", "audit rows per open conversation-hour", f"{per_conv:.1f}"),
        Row("team", f"audit rows per floor-hour ({floor_size})", f"{rows:,}"),
        Row("team", f"writes per second ({floor_size})", f"{rows / HOUR:,.0f} rows"),
        Row("team", f"commits per floor-hour ({floor_size})", f"{commits:,}"),
        Row("team", "audit table growth per floor-hour", f"{size / 2**20:,.0f} MiB"),
        Row(
            "team",
            "database time for the hour's writes",
            f"{spent:,.1f} s ({spent / HOUR:.1%} of the hour)",
        ),
    ]
