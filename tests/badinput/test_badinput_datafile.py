"""A data file that cannot be used, through the real CLI: one clear line on stderr, a non-zero
exit, no traceback, and not one byte of the file changed."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.core.audit import AuditEvent, AuditType
from engine.store import Store

ROOT = Path(__file__).resolve().parents[2]
FLOORWATCH = Path(sys.executable).parent / "floorwatch"
EVENTS = 300
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from engine.core.audit import AuditEvent, AuditType
    from engine.store import Store

    store = Store.open(Path(sys.argv[1]))
    events = int(sys.argv[2])
    store.append([AuditEvent(at=float(i), type=AuditType.FEED_FRESH) for i in range(events)])
    print("holding", flush=True)
    sys.stdin.readline()
    before = store.audit_count()
    store.append([AuditEvent(at=1e6, type=AuditType.FEED_STALE, detail="after")])
    print(before, store.audit_count(), flush=True)
    store.close()
    """
)


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}
    return clean | {"PYTHONPATH": str(ROOT)}


def digest(path: Path) -> str:
    """The bytes of the file and its write-ahead log, if any (a directory: its listing)."""
    if path.is_dir():
        return ",".join(sorted(p.name for p in path.iterdir()))
    wal = path.with_name(path.name + "-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    return hashlib.sha256(data).hexdigest()


def real_store(path: Path) -> None:
    with Store.open(path) as store:
        store.append(
            [
                AuditEvent(at=float(i), type=AuditType.FEED_FRESH, detail="x" * 200)
                for i in range(EVENTS)
            ]
        )


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(11).randbytes(32 * 1024))


def truncated(path: Path) -> None:
    real_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def directory(path: Path) -> None:
    path.mkdir()
    (path / "keep.txt").write_text("mine")


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "random-bytes": (random_bytes, "is not a Floorwatch data file"),
    "truncated": (truncated, "is not a Floorwatch data file (file is not a database): truncated"),
    "directory": (directory, "Is a directory"),
}


def write_config(tmp_path: Path, data: Path) -> Path:
    config = tmp_path / "floorwatch.json"
    settings = {
        "account": "12345678",
        "username": "sup",
        "password": "pw",
        "csds_url": "http://127.0.0.1:9",
        "insecure_http": True,
        "data_path": str(data),
    }
    config.write_text(json.dumps(settings))
    return config


COMMANDS = ["watch", "export"]


def start(command: str, folder: Path, data: Path) -> subprocess.Popen[str]:
    """`floorwatch watch --headless` or `floorwatch audit export` on the data file."""
    if command == "watch":
        args = ["watch", "--config", str(write_config(folder, data)), "--headless"]
    else:
        args = ["audit", "export", "--data", str(data)]
    return subprocess.Popen(
        [str(FLOORWATCH), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


def finished(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def run_command(command: str, folder: Path, data: Path) -> subprocess.CompletedProcess[str]:
    return finished(start(command, folder, data))


def assert_one_clear_line(result: subprocess.CompletedProcess[str], data: Path, says: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert str(data) in line and says in line, line
    assert line.startswith(("cannot open the data file: ", "audit export: ")), line


REFUSALS = [(kind, command) for kind in BROKEN for command in COMMANDS]
REFUSALS.remove(("truncated", "export"))  # the same check as watch's (see tests/store)


@dataclass(frozen=True)
class Refusal:
    data: Path
    before: str
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def refusals(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Refusal]:
    """Each command on each broken file, the processes run side by side to save time."""
    started = {}
    for kind, command in REFUSALS:
        folder = tmp_path_factory.mktemp(f"{kind}-{command}")
        data = folder / "floor.sqlite3"
        BROKEN[kind][0](data)
        started[kind, command] = (data, digest(data), start(command, folder, data))
    return {
        key: Refusal(data, before, finished(process))
        for key, (data, before, process) in started.items()
    }


@pytest.mark.parametrize(("kind", "command"), REFUSALS)
def test_a_broken_data_file_is_refused_untouched(
    refusals: dict[tuple[str, str], Refusal], kind: str, command: str
) -> None:
    refusal = refusals[kind, command]
    data = refusal.data
    assert_one_clear_line(refusal.result, data, BROKEN[kind][1])
    assert digest(data) == refusal.before
    assert not data.with_name(data.name + "-wal").exists()
    assert not data.with_name(data.name + "-journal").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
@pytest.mark.parametrize("command", COMMANDS)
def test_an_unreadable_data_file_is_refused_untouched(tmp_path: Path, command: str) -> None:
    data = tmp_path / "floor.sqlite3"
    real_store(data)
    before = digest(data)
    data.chmod(0)
    try:
        result = run_command(command, tmp_path, data)
    finally:
        data.chmod(0o600)
    assert_one_clear_line(result, data, "cannot read")
    assert digest(data) == before


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A second, live process holding the data file open as its writer."""
    data = tmp_path / "floor.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data), str(EVENTS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "holding\n", process.stderr
        yield process, data
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def finish(process: subprocess.Popen[str]) -> list[int]:
    """Let the holder check its data and write once more; what it counted before and after."""
    out, err = process.communicate("go\n", timeout=20)
    assert process.returncode == 0, err
    return [int(n) for n in out.split()]


def test_watch_on_a_file_another_process_holds_is_refused_untouched(
    tmp_path: Path, holder: tuple[subprocess.Popen[str], Path]
) -> None:
    process, data = holder
    before = digest(data)
    result = run_command("watch", tmp_path, data)
    assert_one_clear_line(result, data, f"is in use by another Floorwatch (pid {process.pid})")
    assert digest(data) == before
    assert finish(process) == [EVENTS, EVENTS + 1], "the holder's data is whole and writable"
    with Store.open(data, read_only=True) as store:
        assert store.audit_count() == EVENTS + 1


def test_export_beside_a_live_writer_reads_without_disturbing_it(
    tmp_path: Path, holder: tuple[subprocess.Popen[str], Path]
) -> None:
    process, data = holder
    before = digest(data)
    result = run_command("export", tmp_path, data)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == EVENTS + 1  # the header and every event
    assert digest(data) == before
    assert finish(process) == [EVENTS, EVENTS + 1]
