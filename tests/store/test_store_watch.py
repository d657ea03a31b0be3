"""The data file is watched: a deleted or replaced file (or lock file) is noticed at the next
commit and every later write is refused; a full disk says the disk is full. Real files."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.store import DataFileLostError, DiskFullError, Store, StoreError
from engine.store.lock import lock_path

EVENT = AuditEvent(at=1.0, type=AuditType.FEED_FRESH)


def _other_data_file(path: Path) -> None:
    with Store.open(path) as other:
        other.append([AuditEvent(at=9.0, type=AuditType.FEED_STALE, detail="other")])


def test_a_deleted_data_file_is_noticed_at_the_next_commit(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as store:
        store.append([EVENT])
        path.unlink()
        with pytest.raises(DataFileLostError, match=f"{re.escape(str(path))} was deleted"):
            store.append([EVENT])
        assert store.lost is not None
        with pytest.raises(DataFileLostError):  # sticky: nothing more is written there
            store.save_overrides(store.load_overrides())
        assert store.history() == [EVENT], "the committed events stay readable"
    assert not path.exists()


def test_a_data_file_replaced_by_a_rename_is_noticed(tmp_path: Path) -> None:
    path, other = tmp_path / "fw.db", tmp_path / "other.db"
    _other_data_file(other)
    with Store.open(path) as store:
        store.append([EVENT])
        os.replace(other, path)
        with pytest.raises(DataFileLostError, match="was replaced by another file"):
            store.append([EVENT])
        with pytest.raises(DataFileLostError):
            store.verify()
    with Store.open(path, read_only=True) as replaced:
        assert [e.detail for _, e in replaced.audit()] == ["other"], "the new file untouched"


def test_a_second_writer_is_refused_before_and_after_the_file_is_replaced(
    tmp_path: Path,
) -> None:
    path, other = tmp_path / "fw.db", tmp_path / "other.db"
    _other_data_file(other)
    with Store.open(path) as first:
        with pytest.raises(StoreError, match=f"in use by another Floorwatch \\(pid {os.getpid()}"):
            Store.open(path)
        os.replace(other, path)
        with pytest.raises(StoreError, match="in use by another Floorwatch"):
            Store.open(path)  # the lock file still names the first one's lock
        with pytest.raises(DataFileLostError):
            first.append([EVENT])


def test_after_the_lock_file_too_is_replaced_the_first_can_no_longer_commit(
    tmp_path: Path,
) -> None:
    """`rm fw.db*` under a running Floorwatch: a second one may start, the first is done."""
    path = tmp_path / "fw.db"
    with Store.open(path) as first:
        first.append([EVENT])
        for name in os.listdir(tmp_path):
            (tmp_path / name).unlink()
        with Store.open(path) as second:
            second.append([EVENT])
            with pytest.raises(DataFileLostError, match="replaced by another file"):
                first.append([EVENT])
            with pytest.raises(DataFileLostError):
                first.verify()
            second.append([EVENT])
            assert second.audit_count() == 2


def test_a_lock_file_replaced_alone_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as first:
        lock_path(path).unlink()
        with pytest.raises(DataFileLostError, match=r"lock file .* was deleted or replaced"):
            first.append([EVENT])
        with Store.open(path) as second:  # the first holds no claim: it can write nothing
            second.append([EVENT])
            assert second.audit_count() == 1


def test_a_full_database_says_the_disk_is_full(tmp_path: Path) -> None:
    """SQLite's own page limit makes the file full for real (SQLITE_FULL)."""
    path = tmp_path / "fw.db"
    with Store.open(path) as store:
        store.append([EVENT])
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = [AuditEvent(at=2.0, type=AuditType.FEED_STALE, detail="x" * 5000)] * 20
        with pytest.raises(DiskFullError, match=f"the disk is full: cannot write {path}"):
            store.append(big)
        assert store.audit_count() == 1, "the batch was rolled back"
        assert store.lost is None
        store.append([EVENT])  # a full disk is not a lost file: small writes still go in


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KiB tmpfs (needs root and mount)."""
    mountpoint = tmp_path / "small"
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mountpoint)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_a_full_filesystem_says_the_disk_is_full(small_disk: Path) -> None:
    path = small_disk / "fw.db"
    with Store.open(path) as store:
        batch = [AuditEvent(at=2.0, type=AuditType.FEED_STALE, detail="y" * 4000)] * 10
        with pytest.raises(DiskFullError, match=f"the disk is full: cannot write {path}"):
            for _ in range(1000):
                store.append(batch)
        assert store.lost is None


def test_a_full_filesystem_at_open_says_the_disk_is_full(small_disk: Path) -> None:
    filler = small_disk / "filler"
    with filler.open("wb") as fp, pytest.raises(OSError, match="No space"):
        fp.write(b"z" * (1024 * 1024))
    with pytest.raises(DiskFullError, match="the disk is full"):
        Store.open(small_disk / "fw.db")
