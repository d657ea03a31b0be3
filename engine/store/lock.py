"""One writer per data file: an exclusive `flock` on a sidecar `<db>.lock` file.

The kernel drops the lock when its descriptor is closed or the process dies, so a crash never
leaves a stale lock behind. The holder's pid is written into the file for the error message.
The lock file is never deleted by Floorwatch: unlinking a locked file would let two processes
lock different inodes under the same name.

The rule (no two engines on one file, ever): a Floorwatch is the writer of a data file only
while it holds the `flock` on the inode that `<db>.lock` names *and* `<db>` names the inode
its connection opened. The store checks both (`still_ours` here, the data file's identity in
`engine.store.identity`) before and after every commit and before any unassign is sent, and
a store that fails the check once refuses every later write (`DataFileLostError`). Since an
unassign is sent only after its decision's audit was committed and checked:

- deleting or replacing the data file alone leaves the lock in place: a second Floorwatch is
  refused with the holder's pid for as long as the first runs, and the first stops acting at
  its next commit;
- deleting or replacing the lock file (e.g. `rm floor.db*`) lets a second Floorwatch lock the
  new inode, but the first has then lost its claim by the rule: its next commit or send is
  refused, so everything the first sent was committed and checked before the second held
  the lock, and the first sends nothing after.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from engine.store.errors import StoreError, os_error


def lock_path(data_path: Path) -> Path:
    return data_path.with_name(data_path.name + ".lock")


class WriterLock:
    """Held from `acquire` until `release` (or the death of the process)."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self._path = path

    @classmethod
    def acquire(cls, data_path: Path) -> WriterLock:
        path = lock_path(data_path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise os_error(path, e, "create the lock file") from e
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
            raise os_error(path, e, "write the lock file") from e
        return cls(fd, path)

    @property
    def path(self) -> Path:
        return self._path

    def still_ours(self) -> bool:
        """Whether the lock file's name still names the inode this lock holds (one `stat`
        and one `fstat`): False once it was deleted, renamed away or replaced."""
        if self._fd < 0:
            return False
        try:
            named = os.stat(self._path)
        except OSError:
            return False
        held = os.fstat(self._fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _holder_pid(fd: int) -> str:
    """The pid the holder wrote, or `unknown` if it has not written it yet."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return text if text.isdigit() else "unknown"
