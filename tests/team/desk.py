"""Dashboards of one team floor in one process: each an engine, a service and a seat on
floor f1 (or a shard) of one real PostgreSQL database, driven by link events on a frozen
clock."""

from __future__ import annotations

from engine.core import (
    AgentChanged,
    AgentState,
    AuditEvent,
    ConversationChanged,
    Engine,
    LastMessage,
    Policy,
)
from engine.link.session import LinkSession
from engine.service import FloorService
from engine.store.pg import PgStore
from engine.team.lease_keeper import LeaseKeeper
from engine.team.seat import TeamSeat

T0 = 1_700_000_000.0
ONLINE = 60.0
TTL = 1.0


def waiting(conv: str, since: float) -> ConversationChanged:
    return ConversationChanged(
        conv,
        metadata_ts=since - 100,
        skill="sales",
        agent="a1",
        consumer=f"consumer-{conv}",
        open=True,
        last_message=LastMessage(1, since, from_consumer=True),
    )


class Desk:
    """One dashboard's engine, service and seat on floor f1 (or `floor`, watching `skills`)."""

    def __init__(
        self,
        url: str,
        name: str,
        policy: Policy | None = None,
        *,
        floor: str = "f1",
        skills: tuple[str, ...] = (),
    ) -> None:
        self.store = PgStore.open(url, floor=floor, engine=name, supervisor=name)
        self.keeper = LeaseKeeper(self.store, TTL, action_timeout=TTL / 4)
        self.engine = Engine(policy or Policy.from_mapping({"online": ONLINE}), skills=skills)
        self.seat = TeamSeat(self.keeper, self.store, url)
        self.service = FloorService(
            self.engine, LinkSession(brand_id="1234"), store=self.store, seat=self.seat
        )
        self.heard: list[AuditEvent] = []
        self.service.subscribe(self.heard.append)

    def types(self) -> list[str]:
        return [e.type.value for e in self.heard if e.type.value.startswith("unassign.")]


def ana(at: float) -> AgentChanged:
    return AgentChanged("a1", AgentState.ONLINE, at - 600, "Ana")
