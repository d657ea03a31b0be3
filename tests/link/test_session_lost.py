"""A frame the session had to drop may have carried feed data: nothing it would have proved
holds any more. The feed goes stale, the connection is reopened, and no conversation the
lost frame may have shown vanishes at the end of a snapshot."""

from __future__ import annotations

import json
from typing import Any

from engine.core import (
    ActionFailed,
    BarrierCompleted,
    ConversationChanged,
    ConversationGone,
    FeedFresh,
    FeedStale,
    Reason,
    Unassign,
)
from engine.link.session import LinkSession

T0 = 1_732_500_000.0
PID = "4f1c2a7e-9b3d-5e6f-8a1b-2c3d4e5f6a7b"
MAX = 20_000


def _answer(write: str, at: float) -> str:
    request = json.loads(write)
    body = {"currentTime": round(at * 1000)}
    return json.dumps(
        {"kind": "resp", "reqId": request["id"], "code": 200, "type": "x", "body": body}
    )


def _change(conv: str, agent: str = "12345678.a1") -> dict[str, Any]:
    details = {
        "skillId": "s1",
        "participants": {"CONSUMER": [f"consumer-{conv}"], "ASSIGNED_AGENT": [agent]},
        "state": "OPEN",
        "startTs": round(T0 * 1000) - 60_000,
    }
    return {"type": "UPSERT", "result": {"convId": conv, "conversationDetails": details}}


def _notification(*convs: str) -> str:
    body = {"subscriptionId": "sub", "changes": [_change(conv) for conv in convs]}
    frame = {"kind": "notification", "type": ".ams.aam.ExConversationChangeNotification"}
    return json.dumps({**frame, "body": body})


def _connect(session: LinkSession, at: float) -> str:
    """Connect; answer the subscription at once; return the resync's GetClock, unanswered."""
    *subscriptions, resync = session.connected(at).writes
    for write in subscriptions:
        session.receive(_answer(write, at), at)
    return resync


def _synced_with(session: LinkSession, *convs: str) -> None:
    resync = _connect(session, T0)
    session.receive(_notification(*convs), T0)
    session.receive(_answer(resync, T0), T0)
    assert session.synced


def test_a_malformed_frame_makes_the_feed_stale_and_asks_for_a_new_connection() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    _synced_with(session, "c1")
    out = session.receive('{"kind": "notification", "type": ', T0 + 1)
    (stale,) = out.events
    assert isinstance(stale, FeedStale) and "lost (malformed)" in stale.detail
    assert not session.synced
    assert session.timer(T0 + 1).reconnect == stale.detail
    assert session.stats.dropped["malformed"] == 1


def test_after_a_loss_no_answer_on_that_connection_proves_anything() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    _synced_with(session, "c1")
    (barrier,) = session.start_barrier(T0 + 1).writes
    invalid = {"kind": "notification", "type": "cqm.ExConversationChangeNotification"}
    session.receive(json.dumps({**invalid, "body": {"changes": "not a list"}}), T0 + 1)
    out = session.receive(_answer(barrier, T0 + 1), T0 + 1)
    assert not any(isinstance(e, BarrierCompleted) for e in out.events)
    assert out.clock is not None, "the clock still learns from the answer"
    assert session.start_barrier(T0 + 2).writes == (), "nothing more is asked of it"


def test_a_snapshot_frame_lost_never_makes_its_conversations_vanish() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    _synced_with(session, "c1", "c2", "c3")
    session.disconnected(T0 + 5, "dropped")
    resync = _connect(session, T0 + 6)
    session.receive(_notification("c1"), T0 + 6)
    session.receive(_notification("c2", "c3")[:-40], T0 + 6)  # the frame holding c2 and c3
    out = session.receive(_answer(resync, T0 + 6), T0 + 6)
    assert not [e for e in out.events if isinstance(e, ConversationGone | FeedFresh)]
    assert not session.synced and session.timer(T0 + 6).reconnect is not None

    session.disconnected(T0 + 7, "reopened")
    resync = _connect(session, T0 + 8)
    session.receive(_notification("c1", "c2"), T0 + 8)
    out = session.receive(_answer(resync, T0 + 8), T0 + 8)
    assert [e.conv_id for e in out.events if isinstance(e, ConversationGone)] == ["c3"], (
        "a complete snapshot still shows what closed meanwhile"
    )
    assert session.synced


def test_an_oversized_frame_is_lost_too() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False, max_frame_bytes=MAX)
    _synced_with(session, "c1")
    many = _notification(*(f"c{n}" for n in range(200)))
    assert len(many) > MAX
    (stale,) = session.receive(many, T0 + 1).events
    assert isinstance(stale, FeedStale) and session.stats.dropped["malformed"] == 1


def test_a_large_snapshot_within_the_limit_arrives_whole() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    resync = _connect(session, T0)
    convs = [f"c{n}" for n in range(10_000)]
    seen: list[str] = []
    for start in range(0, len(convs), 500):
        out = session.receive(_notification(*convs[start : start + 500]), T0)
        seen += [e.conv_id for e in out.events if isinstance(e, ConversationChanged)]
    out = session.receive(_answer(resync, T0), T0)
    assert seen == convs and session.synced
    assert not [e for e in out.events if isinstance(e, ConversationGone)]


def test_a_notification_of_a_type_not_read_costs_nothing() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    _synced_with(session, "c1")
    out = session.receive(json.dumps({"kind": "notification", "type": "x.Y", "body": {}}), T0)
    assert out.events == () and session.synced and session.timer(T0).reconnect is None
    assert session.stats.dropped["unknown"] == 1


def test_an_agent_known_only_by_pid_is_not_unassigned_with_a_made_up_id() -> None:
    session = LinkSession(brand_id="12345678", push_presence=False)
    _synced_with(session, "c1")
    action = Unassign("c1", PID, Reason.ONLINE, T0 - 1, T0, key=f"c1:{PID}:1")
    out = session.send_unassign(action)
    assert out.writes == ()
    (failed,) = out.events
    assert isinstance(failed, ActionFailed) and "only by PID" in failed.error
