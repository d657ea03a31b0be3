"""One conformance run: the fixture platform over TLS, the official Node SDK driven against it.

The steps, in order (each records what the SDK answered and saw; a step that times out is
recorded as None and the run goes on, so every test can say what it did see):
  connect    login through agentVep, the socket opens (`connected`)
  clock      getClock
  subscribe  subscribeExConversations({convState: ['OPEN']}), then the whole snapshot
  unassign   REMOVE of the ASSIGNED_AGENT, then a change without that agent
  to_skill   REMOVE + Skill UPDATE, then a change on the new skill without the agent
  to_agent   REMOVE + SUGGEST + Skill UPDATE, then the suggested agent SUGGESTED, then ACTIVE
  unsupported  getUserProfile, which the platform does not serve
  refresh    the SDK's own session refresh (a short interval), then one without the cookie
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sdk_driver import DriverError, Event, SdkConfig, SdkDriver
from sdk_readings import Identities, SdkChange, sdk_changes

from fixtures.platform.identity import agent_pid
from fixtures.platform.server import FixtureServer, serve
from fixtures.scenario import Scenario, load_scenario

SCENARIO = "sdk-conformance"
REFRESH_INTERVAL_MS = 1000
CONNECT_TIMEOUT = 20.0
CHANGE_TIMEOUT = 10.0
REQUEST_STEPS = ("clock", "subscribe", "unassign", "to_skill", "to_agent", "unsupported")
"""The steps that send one websocket request each, in the order they run."""
REFRESHES = 2
"""Session refreshes the run waits for (one every REFRESH_INTERVAL_MS)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Which conversations the steps act on, and how (scenario ids)."""

    unassign: tuple[str, str] = ("c001", "a1")
    """(conversation, its agent)"""
    to_skill: tuple[str, str, str] = ("c003", "a3", "billing")
    """(conversation, its agent, the new skill)"""
    to_agent: tuple[str, str, str, str] = ("c004", "a4", "b1", "billing")
    """(conversation, its agent, the suggested agent, the new skill)"""


@dataclass
class ConformanceRun:
    """Everything one run saw; `replies` and `changes` are keyed by step name."""

    scenario: Scenario
    identities: Identities
    account: str
    username: str
    legacy_ids: dict[str, str]
    plan: Plan
    events: list[Event] = field(default_factory=list)
    stderr: str = ""
    replies: dict[str, Event | None] = field(default_factory=dict)
    changes: dict[str, SdkChange | None] = field(default_factory=dict)
    request_sent_at: dict[str, float] = field(default_factory=dict)
    """Platform time (epoch seconds) just before each step's request was written."""
    snapshot_seen: set[str] = field(default_factory=set)
    """Conversations the SDK reported after subscribing, up to the end of the snapshot."""
    snapshot_done_at: int | None = None
    """Index in `events` of the notification that completed the snapshot (None: it never did)."""
    problem: str | None = None
    """Why the run stopped early (a driver that never connected, say)."""

    def of(self, kind: str) -> list[Event]:
        return [event for event in self.events if event["event"] == kind]

    def sdk_changes(self) -> list[SdkChange]:
        return sdk_changes(self.of("notification"))


def participants_change(kind: str, user_id: str) -> dict[str, str]:
    return {
        "field": "ParticipantsChange",
        "type": kind,
        "role": "ASSIGNED_AGENT",
        "userId": user_id,
    }


def skill_update(skill: str) -> dict[str, str]:
    return {"field": "Skill", "type": "UPDATE", "skill": skill}


class _Steps:
    """The steps of one run against one server and one driver."""

    def __init__(self, server: FixtureServer, driver: SdkDriver, run: ConformanceRun) -> None:
        self.server = server
        self.driver = driver
        self.run = run

    def legacy(self, agent: str) -> str:
        return self.run.legacy_ids[agent]

    async def request(self, step: str, method: str, body: dict[str, Any]) -> Event:
        self.run.request_sent_at[step] = self.server.clock()
        reply = await self.driver.request(method, body)
        self.run.replies[step] = reply
        return reply

    async def change(
        self, step: str, conv: str, test: Callable[[SdkChange], bool], after: int
    ) -> int:
        """Wait for the SDK's first change of `conv` from event `after` on that passes `test`;
        returns the index to wait from next."""

        def match(event: Event) -> bool:
            if event["event"] != "notification":
                return False
            return any(c.conv_id == conv and test(c) for c in sdk_changes([event]))

        event = await self.driver.wait_for(match, CHANGE_TIMEOUT, after=after)
        if event is None:
            self.run.changes[step] = None
            return after
        found = [c for c in sdk_changes([event]) if c.conv_id == conv and test(c)]
        self.run.changes[step] = found[-1]
        return self.driver.position(event) + 1

    async def connect(self) -> None:
        await self.driver.expect(lambda e: e["event"] == "connected", CONNECT_TIMEOUT, "connect")

    async def clock(self) -> None:
        await self.request("clock", "getClock", {})

    async def subscribe(self) -> None:
        mark = len(self.driver.events)
        await self.request("subscribe", "subscribeExConversations", {"convState": ["OPEN"]})
        wanted = {spec.id for spec in self.run.scenario.conversations}
        seen: set[str] = set()

        def complete(event: Event) -> bool:
            if event["event"] == "notification":
                seen.update(c.conv_id for c in sdk_changes([event]))
            return wanted <= seen

        done = await self.driver.wait_for(complete, CHANGE_TIMEOUT, after=mark)
        self.run.snapshot_seen = seen
        self.run.snapshot_done_at = None if done is None else self.driver.position(done)

    async def unassign(self) -> None:
        conv, agent = self.run.plan.unassign
        mark = len(self.driver.events)
        body = {
            "conversationId": conv,
            "conversationField": [participants_change("REMOVE", self.legacy(agent))],
        }
        await self.request("unassign", "updateConversationField", body)
        pid = agent_pid(agent)
        await self.change("unassign", conv, lambda c: pid not in c.assigned_ids(), mark)

    async def to_skill(self) -> None:
        conv, agent, skill = self.run.plan.to_skill
        mark = len(self.driver.events)
        fields = [participants_change("REMOVE", self.legacy(agent)), skill_update(skill)]
        body = {"conversationId": conv, "conversationField": fields}
        await self.request("to_skill", "updateConversationField", body)
        pid = agent_pid(agent)
        await self.change(
            "to_skill", conv, lambda c: c.skill == skill and pid not in c.assigned_ids(), mark
        )

    async def to_agent(self) -> None:
        conv, agent, target, skill = self.run.plan.to_agent
        mark = len(self.driver.events)
        fields = [
            participants_change("REMOVE", self.legacy(agent)),
            participants_change("SUGGEST", self.legacy(target)),
            skill_update(skill),
        ]
        body = {"conversationId": conv, "conversationField": fields}
        await self.request("to_agent", "updateConversationField", body)
        ids = self.run.identities

        def suggested(c: SdkChange) -> bool:
            return target in {ids.agent(wire) for wire in c.dialog_ids("SUGGESTED")}

        def accepted(c: SdkChange) -> bool:
            return target in {ids.agent(wire) for wire in c.dialog_ids("ACTIVE")}

        mark = await self.change("to_agent.suggested", conv, suggested, mark)
        await self.change("to_agent.active", conv, accepted, mark)

    async def unsupported(self) -> None:
        """A request the platform does not serve (the SDK's getUserProfile)."""
        await self.request("unsupported", "getUserProfile", {"userId": "consumer-c001"})

    async def refresh(self) -> None:
        await self.driver.wait_for(
            lambda e: len(self.driver.of("refresh")) >= REFRESHES,
            REFRESHES * REFRESH_INTERVAL_MS / 1000 + CHANGE_TIMEOUT,
        )
        self.run.replies["refresh_without_cookie"] = await self.driver.command(
            "refreshWithoutCookie", CHANGE_TIMEOUT
        )


async def run_conformance(plan: Plan | None = None) -> ConformanceRun:
    """The whole run; the platform and the driver are gone when it returns."""
    scenario = load_scenario(SCENARIO)
    server = await serve(scenario, tls=True, shape="raw")  # the real wire, as the SDK reads it
    ids = server.platform.ids
    agents = [spec.id for spec in scenario.agents]
    run = ConformanceRun(
        scenario=scenario,
        identities=Identities(ids, agents),
        account=server.account,
        username=server.credentials.username,
        legacy_ids={agent: ids.legacy_id(agent) for agent in agents},
        plan=plan or Plan(),
    )
    config = SdkConfig(
        account_id=server.account,
        username=server.credentials.username,
        password=server.credentials.password,
        csds_domain=urlsplit(server.base_url).netloc,
        refresh_interval_ms=REFRESH_INTERVAL_MS,
    )
    driver: SdkDriver | None = None
    try:
        assert server.ca_path is not None, "serve(tls=True) names its CA"
        driver = await SdkDriver.start(config, server.ca_path, server.clock)
        steps = _Steps(server, driver, run)
        for step in (
            steps.connect,
            steps.clock,
            steps.subscribe,
            steps.unassign,
            steps.to_skill,
            steps.to_agent,
            steps.unsupported,
            steps.refresh,
        ):
            await step()
    except DriverError as exc:
        run.problem = str(exc)
    finally:
        if driver is not None:
            await driver.close()
            run.events, run.stderr = driver.events, driver.stderr
        await server.close()
    return run
