"""Whether the data file's path still names the file the store holds open.

A deleted data file stays readable and writable through the descriptors that hold it, so
SQLite would go on committing to a file nobody can open again; a file renamed over the path
is another file to every later opener. `DataFileWatch` keeps a descriptor of the file it
opened and compares, at every check, the device and inode the path names (`stat`) with the
ones it holds (`fstat`), for the data file and its write-ahead log, and that the writer's
lock file is still the one it locked (see `engine.store.lock` for the rule). Three `stat`
calls and two `fstat`s: cheap enough for every commit.

Once the data file is gone from its path, its `-wal` and `-shm` names are unlinked if they
are still this store's: SQLite would apply that log to whatever file is next opened at the
path. This store keeps them open; what it committed stays readable (`Store.history`).

The descriptor is closed only after the SQLite connection: closing any descriptor of a file
drops every POSIX lock the process holds on it, SQLite's included.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from engine.store.errors import os_error
from engine.store.lock import WriterLock

FileId = tuple[int, int]


def wal_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + "-wal")


def shm_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + "-shm")


def _named(path: Path) -> FileId | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class DataFileWatch:
    """Opened right after the connection, so both name the same file."""

    def __init__(
        self, path: Path, fd: int, wal: FileId | None, shm: FileId | None, lock: WriterLock
    ) -> None:
        self._path = path
        self._fd = fd
        self._wal = wal
        self._shm = shm
        self._lock = lock

    @classmethod
    def open(cls, path: Path, lock: WriterLock) -> DataFileWatch:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as e:
            raise os_error(path, e, "open") from e
        return cls(path, fd, _named(wal_path(path)), _named(shm_path(path)), lock)

    def problem(self) -> str | None:
        """Why the path no longer names the file held open, or None while it does."""
        path = self._path
        if self._fd < 0:
            return f"the data file {path} is closed"
        held = os.fstat(self._fd)
        named = _named(path)
        if named is None:
            self._forget_sidecars()
            return f"the data file {path} was deleted (or moved away) while Floorwatch had it open"
        if named != (held.st_dev, held.st_ino):
            self._forget_sidecars()
            return f"the data file {path} was replaced by another file while Floorwatch had it open"
        wal = wal_path(path)
        if self._wal is not None and _named(wal) != self._wal:
            return f"the write-ahead log {wal} of the data file was deleted or replaced"
        if not self._lock.still_ours():
            return (
                f"the lock file {self._lock.path} was deleted or replaced: "
                f"another Floorwatch may now hold {path}"
            )
        return None

    def _forget_sidecars(self) -> None:
        sidecars = ((wal_path(self._path), self._wal), (shm_path(self._path), self._shm))
        for sidecar, held in sidecars:
            if held is not None and _named(sidecar) == held:
                with contextlib.suppress(OSError):  # best effort: the path is not ours now
                    sidecar.unlink()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
