"""One writer per data file; read-only openers beside it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.store import Store, StoreError

EVENT = AuditEvent(at=1.0, type=AuditType.FEED_FRESH)


def test_second_writer_is_refused_until_the_first_closes(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    first = Store.open(path)
    try:
        message = f"{re.escape(str(path))} is in use by another Floorwatch \\(pid {os.getpid()}\\)"
        with pytest.raises(StoreError, match=message):
            Store.open(path)
        first.append([EVENT])  # the refused opener did not disturb the holder
    finally:
        first.close()
    with Store.open(path) as second:
        assert second.audit_count() == 1


def test_stores_on_different_files_coexist(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db"):
        pass


def test_read_only_store_reads_beside_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "fw.db"
    with Store.open(path) as writer:
        writer.append([EVENT])
        with Store.open(path, read_only=True) as reader:
            assert reader.audit_count() == 1
            writer.append([EVENT])
            assert reader.audit_count() == 2
            with pytest.raises(StoreError, match="readonly"):
                reader.append([EVENT])
        writer.append([EVENT])
    with Store.open(path) as writer:
        assert writer.audit_count() == 3


def test_read_only_store_needs_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no such Floorwatch data file"):
        Store.open(path, read_only=True)
    assert not path.exists()
