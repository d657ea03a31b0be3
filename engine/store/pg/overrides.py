"""The shared overrides and policy: rows per hold and extension, each stamped with the
floor's version that wrote it, and the floor's versions of each."""

from __future__ import annotations

import json
from types import MappingProxyType

import psycopg
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb

from engine.core.overrides import Overrides
from engine.core.policy import Policy, PolicyError
from engine.store.changes import OverridesChange, diff
from engine.store.errors import StoreError

_TABLES = (("conv_hold", "conv", "until"), ("agent_hold", "agent", "until"))


def write_change(
    conn: psycopg.Connection[TupleRow], floor: str, version: int, change: OverridesChange
) -> None:
    """Write `change`'s rows (inside the transaction that took `version`)."""
    if not change:
        return
    tables = (
        ("conv_hold", "conv", "until", change.conv_holds),
        ("agent_hold", "agent", "until", change.agent_holds),
        ("extension", "conv", "seconds", change.extensions),
    )
    with conn.cursor() as cur:
        for table, key, value, rows in tables:
            if rows.delete:
                cur.execute(
                    f"DELETE FROM {table} WHERE floor = %s AND {key} = ANY(%s)",
                    (floor, list(rows.delete)),
                )
            if rows.upsert:
                cur.executemany(
                    f"INSERT INTO {table} (floor, {key}, {value}, version) "
                    f"VALUES (%s, %s, %s, %s) ON CONFLICT (floor, {key}) "
                    f"DO UPDATE SET {value} = excluded.{value}, version = excluded.version",
                    [(floor, k, v, version) for k, v in rows.upsert.items()],
                )
        if change.dry_run is not None:
            cur.execute(
                "UPDATE floor_state SET dry_run = %s WHERE floor = %s", (change.dry_run, floor)
            )
        cur.execute(
            "UPDATE floor_state SET overrides_version = %s WHERE floor = %s", (version, floor)
        )


def replace(
    conn: psycopg.Connection[TupleRow], floor: str, version: int, overrides: Overrides
) -> None:
    """Make the floor's overrides `overrides` (the rows that differ are written)."""
    write_change(conn, floor, version, diff(read(conn, floor), overrides))


def read(conn: psycopg.Connection[TupleRow], floor: str) -> Overrides:
    def table(name: str, key: str, value: str) -> dict[str, float | None]:
        rows = conn.execute(
            f"SELECT {key}, {value} FROM {name} WHERE floor = %s",
            (floor,),
        )
        return {str(k): None if v is None else float(v) for k, v in rows}

    mode = conn.execute("SELECT dry_run FROM floor_state WHERE floor = %s", (floor,)).fetchone()
    extensions = {k: v for k, v in table("extension", "conv", "seconds").items() if v is not None}
    return Overrides(
        conv_holds=MappingProxyType(table(*_TABLES[0])),
        agent_holds=MappingProxyType(table(*_TABLES[1])),
        extensions=MappingProxyType(extensions),
        dry_run=bool(mode[0]) if mode is not None else False,
    )


def write_policy(
    conn: psycopg.Connection[TupleRow], floor: str, version: int, policy: Policy
) -> None:
    conn.execute(
        "UPDATE floor_state SET policy = %s, policy_version = %s WHERE floor = %s",
        (Jsonb(policy.to_mapping()), version, floor),
    )


def read_policy(conn: psycopg.Connection[TupleRow], floor: str) -> Policy | None:
    row = conn.execute("SELECT policy FROM floor_state WHERE floor = %s", (floor,)).fetchone()
    if row is None or row[0] is None:
        return None
    try:
        return Policy.from_mapping(row[0], path="saved policy")
    except (ValueError, PolicyError) as e:
        raise StoreError(f"the saved policy cannot be read: {e} ({json.dumps(row[0])})") from e
