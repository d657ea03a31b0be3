"""A look at the data file's bytes before SQLite is let near it.

SQLite only notices a foreign or truncated file when it first reads the damaged page, and by
then it may already have created `-wal`/`-shm` files or switched the journal mode. Reading the
100-byte header ourselves refuses such a file without writing anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.store.errors import StoreError

_MAGIC = b"SQLite format 3\x00"
_HEADER_SIZE = 100


def not_a_data_file(path: Path, detail: str = "") -> StoreError:
    message = f"{path} is not a Floorwatch data file (file is not a database)"
    return StoreError(f"{message}: {detail}" if detail else message)


def check_file(path: Path, *, writable: bool) -> None:
    """Refuse a file that cannot be read (or written), is not SQLite, or is cut short.

    A missing or empty file passes: SQLite starts a new database in it.
    """
    try:
        with path.open("rb") as fp:
            header = fp.read(_HEADER_SIZE)
            size = fp.seek(0, 2)
    except FileNotFoundError:
        return
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror}") from e
    if writable and not os.access(path, os.W_OK):
        raise StoreError(f"cannot write {path}: permission denied")
    if size == 0:
        return
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        raise not_a_data_file(path)
    _check_size(path, header, size)


def _check_size(path: Path, header: bytes, size: int) -> None:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise not_a_data_file(path, f"invalid page size {page_size}")
    if _wal_has_frames(path):
        return  # the last pages may still be in the WAL: SQLite's recovery owns this case
    pages = int.from_bytes(header[28:32], "big")
    page_count_valid = header[24:28] == header[92:96]
    if size % page_size or (page_count_valid and pages * page_size > size):
        raise not_a_data_file(path, f"truncated to {size} bytes")


def _wal_has_frames(path: Path) -> bool:
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False
