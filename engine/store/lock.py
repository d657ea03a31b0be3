"""One writer per data file: an exclusive `flock` on a sidecar `<db>.lock` file.

The kernel drops the lock when its descriptor is closed or the process dies, so a crash never
leaves a stale lock behind. The holder's pid is written into the file for the error message.
The lock file is never deleted: unlinking a locked file would let two processes lock
different inodes under the same name.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from engine.store.errors import StoreError


def lock_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".lock")


class WriterLock:
    """Held from `acquire` until `release` (or the death of the process)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @classmethod
    def acquire(cls, data_path: Path) -> WriterLock:
        path = lock_path(data_path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"cannot create the lock file {path}: {e.strerror}") from e
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_pid(fd)
            os.close(fd)
            raise StoreError(
                f"{data_path} is in use by another Floorwatch (pid {holder})"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as e:
            os.close(fd)
            raise StoreError(f"cannot write the lock file {path}: {e.strerror}") from e
        return cls(fd)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _holder_pid(fd: int) -> str:
    """The pid the holder wrote, or `unknown` if it has not written it yet."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "unknown"
