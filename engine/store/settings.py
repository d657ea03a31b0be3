"""The supervisor's settings that outlive a restart: the policy and the overrides."""

from __future__ import annotations

import json
import sqlite3
from types import MappingProxyType

from engine.core.overrides import Overrides
from engine.core.policy import Policy, PolicyError
from engine.store.changes import OverridesChange
from engine.store.errors import StoreError


def write_policy(conn: sqlite3.Connection, policy: Policy) -> None:
    body = json.dumps(policy.to_mapping(), sort_keys=True)
    conn.execute(
        "INSERT INTO policy (id, body) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        (body,),
    )


def read_policy(conn: sqlite3.Connection) -> Policy | None:
    row = conn.execute("SELECT body FROM policy WHERE id = 1").fetchone()
    if row is None:
        return None
    try:
        return Policy.from_mapping(json.loads(row[0]), path="saved policy")
    except (ValueError, PolicyError) as e:
        raise StoreError(f"the saved policy cannot be read: {e}") from e


def write_overrides(conn: sqlite3.Connection, overrides: Overrides) -> None:
    """Replace every stored override with `overrides` (call inside one transaction)."""
    for table in ("conv_hold", "agent_hold", "extension", "mode"):
        conn.execute(f"DELETE FROM {table}")
    conn.executemany("INSERT INTO conv_hold VALUES (?, ?)", overrides.conv_holds.items())
    conn.executemany("INSERT INTO agent_hold VALUES (?, ?)", overrides.agent_holds.items())
    conn.executemany("INSERT INTO extension VALUES (?, ?)", overrides.extensions.items())
    conn.execute("INSERT INTO mode (id, dry_run) VALUES (1, ?)", (int(overrides.dry_run),))


def apply_change(conn: sqlite3.Connection, change: OverridesChange) -> None:
    """Write the rows of `change` (call inside one transaction)."""
    tables = (
        ("conv_hold", "conv", "until", change.conv_holds),
        ("agent_hold", "agent", "until", change.agent_holds),
        ("extension", "conv", "seconds", change.extensions),
    )
    for table, key, value, rows in tables:
        conn.executemany(f"DELETE FROM {table} WHERE {key} = ?", ((k,) for k in rows.delete))
        conn.executemany(
            f"INSERT INTO {table} ({key}, {value}) VALUES (?, ?) "
            f"ON CONFLICT ({key}) DO UPDATE SET {value} = excluded.{value}",
            rows.upsert.items(),
        )
    if change.dry_run is not None:
        conn.execute(
            "INSERT INTO mode (id, dry_run) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET dry_run = excluded.dry_run",
            (int(change.dry_run),),
        )


def read_overrides(conn: sqlite3.Connection) -> Overrides:
    mode = conn.execute("SELECT dry_run FROM mode WHERE id = 1").fetchone()
    return Overrides(
        conv_holds=MappingProxyType(dict(conn.execute("SELECT conv, until FROM conv_hold"))),
        agent_holds=MappingProxyType(dict(conn.execute("SELECT agent, until FROM agent_hold"))),
        extensions=MappingProxyType(dict(conn.execute("SELECT conv, seconds FROM extension"))),
        dry_run=bool(mode[0]) if mode is not None else False,
    )
