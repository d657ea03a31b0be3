"""A real `floorwatch watch --headless --commands` process on a SQLite file, killed and
restarted beside a fixture platform that survives: its config, the process and what it
printed, and the scenario's supervisor steps forwarded to the process running then."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.store import Store
from fixtures.oracle import Decision, Verdict, judge
from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario
from fixtures.soak import floor_of

FLOORWATCH = Path(sys.executable).parent / "floorwatch"


def write_config(server: FixtureServer, scenario: Scenario, path: Path, data: Path) -> None:
    config = {
        "account": server.account,
        "username": server.credentials.username,
        "csds_url": server.base_url,
        "insecure_http": True,
        "policy": scenario.policy,
        "data_path": str(data),
        "presence": "push",
        "tick_interval": 0.05,
        "keepalive_interval": 1.0,
        "request_timeout": 2.0,
        "reconnect": {"base": 0.2, "factor": 1.0, "cap": 0.2},
    }
    path.write_text(json.dumps(config))


class Engine:
    """One `floorwatch watch --headless --commands` process and the audit lines it prints."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.printed: list[dict[str, Any]] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, config: Path, password: str) -> Engine:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLOORWATCH_")}
        process = await asyncio.create_subprocess_exec(
            str(FLOORWATCH),
            "watch",
            "--headless",
            "--commands",
            "--config",
            str(config),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**env, "FLOORWATCH_PASSWORD": password},
        )
        return cls(process)

    async def _read(self) -> None:
        assert self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.printed.append(json.loads(line))

    def command(self, step: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(step) + "\n").encode())

    async def wait_for(self, count: int, type_: str, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while sum(r["type"] == type_ for r in self.printed) < count:
                await asyncio.sleep(0.02)

    async def kill(self) -> None:
        self.process.kill()
        await self.process.wait()
        await self._reader

    async def stop(self) -> str:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        assert self.process.stderr is not None
        stderr = await self.process.stderr.read()
        await self.process.wait()
        await self._reader
        return stderr.decode()


async def forward_supervisor(server: FixtureServer, engine: list[Engine]) -> None:
    """Each supervisor step, as it comes due, to the engine running then (`until` in epoch
    seconds, as the live engine counts time)."""
    while True:
        _, step = await server.supervisor_steps.get()
        command = step.model_dump(exclude_none=True)
        if "until" in command:
            command["until"] = server.origin + command["until"]
        engine[-1].command(command)


@dataclass(frozen=True)
class Restart:
    """When, in scenario seconds, the first process is killed and the second starts, and
    what the first must have printed before (`after`)."""

    after: str
    kill_at: float
    start_at: float
    until: float


async def killed_and_restarted(
    scenario: Scenario, data: Path, config: Path, restart: Restart
) -> tuple[FixtureServer, Engine, Engine]:
    """Serve `scenario` at real time; a first process on the data file, SIGKILLed, then a
    second one, stopped at `restart.until`. The server is closed at the end."""
    server = await serve(scenario, speed=1.0)
    write_config(server, scenario, config, data)
    password = server.credentials.password
    engines: list[Engine] = []
    try:
        engines.append(await Engine.start(config, password))
        await engines[0].wait_for(1, restart.after)
        await asyncio.sleep(max(0.0, restart.kill_at - server.scenario_time()))
        await engines[0].kill()
        await asyncio.sleep(max(0.0, restart.start_at - server.scenario_time()))
        engines.append(await Engine.start(config, password))
        await asyncio.sleep(max(0.0, restart.until - server.scenario_time()))
        await engines[1].stop()
    finally:
        for engine in engines:
            if engine.process.returncode is None:
                engine.process.kill()
        await server.close()
    return server, engines[0], engines[1]


def stored_audit(data: Path) -> list[dict[str, Any]]:
    """Every audit record of the data file, in the order written."""
    with Store.open(data, read_only=True) as store:
        return [event.to_record() for _, event in store.audit()]


def judged(server: FixtureServer, scenario: Scenario, stored: list[dict[str, Any]]) -> Verdict:
    """The oracle's verdict on the platform's record, given the decisions in `stored`."""
    origin = server.origin
    decisions = [
        Decision(
            at=r["at"] - origin,
            conv=r["conv"],
            agent=r["agent"],
            reason=r["reason"],
            as_of=r["as_of"] - origin if "as_of" in r else None,
        )
        for r in stored
        if r["type"] == "unassign.decided"
    ]
    # The live engine keeps its own estimate of the platform's clock (GetClock answers).
    return judge(server.platform.record, decisions, floor_of(scenario), clock_error=0.05)
