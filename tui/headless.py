"""`floorwatch watch --headless`: the engine without a terminal, one JSON line per audit
event on stdout, and (with `--commands`) supervisor commands from stdin. On stderr, a line
each time the audit can no longer be saved (or can again) and, on a team floor, each time
this engine begins to act or to watch (`floorwatch: ACTING`, `floorwatch: WATCHING
(acting: <engine>)`)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

from engine.config import FloorwatchConfig
from engine.core import AuditEvent, CommandError, parse_command_text
from engine.core.command_json import why_asked
from engine.core.lease_rule import watching
from engine.link.errors import LinkError
from engine.runner import LiveFloor
from tui.live import describe_link_failure, print_unsaved
from tui.why_words import why_line

EXIT_OK, EXIT_ERROR = 0, 1


async def _apply_commands(floor: LiveFloor) -> None:
    """Supervisor commands from stdin, one JSON object per line (`engine.core.command_json`,
    `until` in epoch seconds); a refused or malformed one is reported on stderr. A
    `{"why": "c1"}` line is answered on stdout: `{"why": "c1", "kind": ..., "answer": ...}`."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    service = floor.service
    while raw := await reader.readline():
        line = raw.decode("utf-8", "replace")
        if not line.strip():
            continue
        if (asked := why_asked(line)) is not None:
            now = floor.clock.now()
            answer = service.read.why_not(asked, now)
            said = why_line(answer, now, service.read.agent_name)
            print(json.dumps({"why": asked, "kind": answer.why.value, "answer": said}), flush=True)
            continue
        try:
            refused = service.execute(
                parse_command_text(line, by=service.supervisor), floor.clock.now()
            )
        except CommandError as exc:
            reason: str | None = str(exc)
        else:
            reason = None if refused is None else refused.reason
        if reason is not None:
            first = reason.splitlines()[0] if reason else reason
            print(f"command refused: {first}: {line.strip()[:200]}", file=sys.stderr, flush=True)


async def watch_headless(config: FloorwatchConfig, commands: bool = False) -> int:
    """One JSON line per audit event until SIGINT or SIGTERM (or, with `commands`, the end of
    stdin's commands and a signal)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    def show(event: AuditEvent) -> None:
        print(json.dumps(event.to_record()), flush=True)

    floor = LiveFloor.open(config, on_audit=show)
    service = floor.service

    shown: list[str | None] = [None]

    def report_storage() -> None:
        """One stderr line when the audit can no longer be saved (and when it is again)."""
        problem = service.storage_problem
        if problem != shown[0] and problem is not None:
            kept = "not acting; the audit is kept in memory"
            print(f"floorwatch: {kept}: {problem}", file=sys.stderr, flush=True)
        elif problem != shown[0]:
            print("floorwatch: the audit is saved again; acting", file=sys.stderr, flush=True)
        shown[0] = problem

    role_shown: list[str | None] = [None]

    def report_role() -> None:
        """One stderr line each time this engine of a team floor begins to act or watch."""
        role = service.role
        said = None if role is None else "ACTING" if role.acting else watching(role)
        if said != role_shown[0] and said is not None:
            print(f"floorwatch: {said}", file=sys.stderr, flush=True)
        role_shown[0] = said

    async def watch_storage() -> None:
        while True:
            report_storage()
            report_role()
            await asyncio.sleep(0.2)

    reader = asyncio.create_task(_apply_commands(floor)) if commands else None
    storage = asyncio.create_task(watch_storage())
    try:
        await floor.run(stop)
    except LinkError as exc:
        print(describe_link_failure(exc), file=sys.stderr)
        return EXIT_ERROR
    finally:
        for task in (reader, storage):
            if task is not None:
                task.cancel()
        report_storage()
        print_unsaved(service)
        floor.close()
    return EXIT_OK
