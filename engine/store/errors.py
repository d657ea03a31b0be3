"""The errors the store raises: their messages are meant for the supervisor's eyes."""

from __future__ import annotations

import errno
from pathlib import Path


class StoreError(Exception):
    """The data file cannot be opened, read or written; the message names the file."""


class StorageFaultError(StoreError):
    """A write failed while Floorwatch runs: nothing of the batch is saved, and the service
    stops acting until the unsaved events are written somewhere (see `engine.service`)."""


class DiskFullError(StorageFaultError):
    """The disk (or the file's size limit) is full: the batch was rolled back."""


class DataFileLostError(StorageFaultError):
    """The path no longer names the file this store holds open (deleted, replaced), or the
    writer's lock file is no longer this store's: every later write is refused."""


def disk_full(path: Path, detail: str = "") -> DiskFullError:
    message = f"the disk is full: cannot write {path}"
    return DiskFullError(f"{message} ({detail})" if detail else message)


def os_error(path: Path, error: OSError, doing: str) -> StoreError:
    """`doing` (e.g. "create the lock file") failed on `path`; a full disk says so."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path, error.strerror or "")
    return StoreError(f"cannot {doing} {path}: {error.strerror}")


class DatabaseUnavailableError(StorageFaultError):
    """The shared database cannot be reached (or did not answer in time): nothing of the
    batch is saved; the next write may succeed once it is back."""


class LeaseLostError(StorageFaultError):
    """A decision was to be recorded, but this engine does not hold the floor's lease (it
    expired, or another engine took it): nothing of the batch is saved, and this engine
    must not act."""
