"""The one pump: every door ends in tick, drain, store, listeners, then the actions; the
barrier the engine waits for starts at once, whatever door came in."""

from __future__ import annotations

import io
import json
from pathlib import Path

from engine.core import (
    AgentChanged,
    AgentState,
    AuditEvent,
    BarrierCompleted,
    ConversationChanged,
    Engine,
    FeedFresh,
    LastMessage,
    Policy,
    UnassignNow,
)
from engine.link.session import LinkSession
from engine.service import FloorService
from engine.store import Store

T0 = 1_700_000_000.0
ONLINE = 60.0


def _waiting(conv: str, since: float) -> ConversationChanged:
    return ConversationChanged(
        conv,
        metadata_ts=since - 100,
        skill="sales",
        agent="a1",
        consumer=f"consumer-{conv}",
        open=True,
        last_message=LastMessage(1, since, from_consumer=True),
    )


def _service(store: Store | None = None) -> tuple[FloorService, list[AuditEvent]]:
    engine = Engine(Policy.from_mapping({"online": ONLINE}))
    service = FloorService(engine, LinkSession(brand_id="1234"), store=store)
    heard: list[AuditEvent] = []
    service.subscribe(heard.append)
    return service, heard


def _answer(write: str, now: float) -> str:
    request = json.loads(write)
    body = {"currentTime": round(now * 1000)}
    return json.dumps(
        {"kind": "resp", "reqId": request["id"], "code": 200, "type": "x", "body": body}
    )


def _connect(service: FloorService, now: float) -> None:
    """Connect and answer everything the session sent (subscriptions and the resync)."""
    service.connected(now)
    for write in service.take_writes():
        service.receive(_answer(write, now), now)
    assert service.synced


def _types(events: list[AuditEvent]) -> list[str]:
    return [event.type.value for event in events]


def test_listeners_hear_a_failed_send_after_its_decision_as_the_store_committed_them(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "floor.sqlite3") as store:
        service, heard = _service(store)
        due = T0 + ONLINE
        agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
        # The link is down (never connected): the engine still holds a fresh feed and a
        # barrier from elsewhere, so it decides, and the send fails at once.
        service.apply([agent, _waiting("c1", T0), FeedFresh(T0), BarrierCompleted(due)], due)
        exported = io.StringIO()
        store.export_jsonl(exported)
    stored = [json.loads(line)["type"] for line in exported.getvalue().splitlines()]
    assert _types(heard) == ["feed.fresh", "unassign.decided", "unassign.failed"]
    assert _types(heard) == stored
    failed = heard[-1]
    assert failed.detail == "not connected"


def test_an_unassign_now_starts_its_barrier_from_execute() -> None:
    service, heard = _service()
    agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
    service.apply([agent, _waiting("c1", T0)], T0)
    _connect(service, T0)
    assert service.take_writes() == []

    now = T0 + 5
    assert service.execute(UnassignNow(conv="c1", by="supervisor"), now) is None
    (barrier,) = service.take_writes()
    assert json.loads(barrier)["type"] == ".GetClock", "the barrier starts with the command"

    service.receive(_answer(barrier, now), now)
    (unassign,) = service.take_writes()
    assert json.loads(unassign)["type"] == ".ams.cm.UpdateConversationField"
    assert _types(heard)[-2:] == ["override.unassign_now", "unassign.decided"]


def test_ready_is_called_when_a_door_leaves_frames_to_send() -> None:
    calls: list[int] = []
    engine = Engine(Policy.from_mapping({"online": ONLINE}))
    service = FloorService(engine, LinkSession(brand_id="1234"), on_ready=lambda: calls.append(1))
    service.connected(T0)
    assert calls and len(service.take_writes()) == 3


def test_the_timer_does_nothing_before_a_deadline_and_starts_its_barrier_once_it_is_due() -> None:
    service, heard = _service()
    agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
    service.apply([agent, _waiting("c1", T0)], T0)
    _connect(service, T0)
    service.take_writes()
    audited = len(heard)
    due = T0 + ONLINE

    for now in (T0 + 1, due - 1, due - 1):
        assert service.timer(now) is None
        assert service.take_writes() == [] and len(heard) == audited

    assert service.timer(due) is None
    (barrier,) = service.take_writes()
    assert json.loads(barrier)["type"] == ".GetClock", "a deadline passed waits for a barrier"
    assert service.timer(due + 1) is None
    assert service.take_writes() == [], "one barrier under way is enough"
    service.receive(_answer(barrier, due + 1), due + 1)
    (unassign,) = service.take_writes()
    assert json.loads(unassign)["type"] == ".ams.cm.UpdateConversationField"
    assert _types(heard)[-1] == "unassign.decided"
