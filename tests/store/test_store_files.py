"""Files the store must refuse, byte for byte untouched, and the migrations it applies."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.store import SCHEMA_VERSION, Store, StoreError
from engine.store.schema import MIGRATIONS, migrate


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    """Files next to `path` that SQLite would create (-wal, -shm, -journal)."""
    return {p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-")}


def filled_store(path: Path, events: int = 2000) -> None:
    with Store.open(path) as store:
        store.append(
            [
                AuditEvent(at=float(i), type=AuditType.FEED_FRESH, detail="x" * 200)
                for i in range(events)
            ]
        )


def assert_refused_untouched(path: Path, match: str) -> None:
    before = digest(path)
    with pytest.raises(StoreError, match=match) as raised:
        Store.open(path)
    assert str(path) in str(raised.value)
    assert digest(path) == before
    assert siblings(path) == set()


def set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    filled_store(path, events=10)
    set_user_version(path, SCHEMA_VERSION + 1)
    assert_refused_untouched(path, "written by a newer Floorwatch")


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    path.write_bytes(random.Random(7).randbytes(64 * 1024))
    assert_refused_untouched(path, r"is not a Floorwatch data file \(file is not a database\)")


@pytest.mark.parametrize("keep", [0.5, 0.9, 50 / 65536])
def test_truncated_database_is_refused(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "fw.db"
    filled_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    assert_refused_untouched(path, r"is not a Floorwatch data file \(file is not a database\)")


def test_corrupt_schema_page_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    filled_store(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(3).randbytes(4096 - 100)  # page 1 after the header
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, r"is not a Floorwatch data file \(file is not a database\)")


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE audit (x)")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "another application's SQLite database")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    filled_store(path, events=1)
    path.chmod(0o200)
    try:
        with pytest.raises(StoreError, match=f"cannot read {path}"):
            Store.open(path)
    finally:
        path.chmod(0o600)


def test_a_directory_at_the_data_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=f"cannot read {tmp_path}"):
        Store.open(tmp_path)


def test_empty_file_becomes_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    path.touch()
    with Store.open(path) as store:
        assert store.audit_count() == 0


def test_failed_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    Store.open(path).close()
    broken = [*MIGRATIONS, ("CREATE TABLE later (x)", "THIS IS NOT SQL")]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, path, broken)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "later" not in tables
    finally:
        conn.close()


def test_older_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    later = [*MIGRATIONS, ("CREATE TABLE later (x)",)]
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        migrate(conn, path, later)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(later)
        assert conn.execute("SELECT count(*) FROM later").fetchone()[0] == 0
    finally:
        conn.close()
