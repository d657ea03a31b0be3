"""Reading conversations' messages on the socket (`QueryMessages`): a few at a time, each
answer a `MessagesRead`; a read lost with the connection is asked again on the next one, one
unanswered or refused is dropped without reopening the connection."""

from __future__ import annotations

import json
from typing import Any

from engine.core import LastMessage, MessagesRead
from engine.link.message_reads import IN_FLIGHT
from engine.link.session import LinkSession

T0 = 1_700_000_000.0


def answer(session: LinkSession, write: str, code: int = 200, body: Any = None) -> Any:
    frame = json.loads(write)
    reply = {"kind": "resp", "reqId": frame["id"], "code": code, "type": "x", "body": body}
    return session.receive(json.dumps(reply), T0 + 1)


def synced() -> LinkSession:
    session = LinkSession(brand_id="1234", request_timeout=5.0)
    for write in session.connected(T0).writes:
        answer(session, write, body={})
    assert session.synced
    return session


def event(sequence: int, role: str, at_ms: int) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "dialogId": "c1",
        "serverTimestamp": at_ms,
        "originatorMetadata": {"id": "x", "role": role},
        "event": {"type": "ContentEvent", "contentType": "text/plain", "message": "hi"},
    }


def reads(writes: tuple[str, ...]) -> list[dict[str, Any]]:
    frames = [json.loads(w) for w in writes]
    return [f for f in frames if f["type"] == ".ams.ms.QueryMessages"]


def test_reads_go_out_a_few_at_a_time_and_each_answer_is_the_conversations_messages() -> None:
    session = synced()
    convs = [f"c{n}" for n in range(1, IN_FLIGHT + 3)]
    first = reads(session.read_messages(convs, T0).writes)
    assert [f["body"] for f in first] == [
        {"dialogId": c, "newerThanSequence": -1} for c in convs[:IN_FLIGHT]
    ]
    body = [event(0, "CONSUMER", 1_000), event(1, "ASSIGNED_AGENT", 2_000)]
    output = answer(session, json.dumps(first[0]), body=body)
    assert output.events == (
        MessagesRead(
            "c1",
            (LastMessage(0, 1.0, from_consumer=True), LastMessage(1, 2.0, from_consumer=False)),
        ),
    )
    assert [f["body"]["dialogId"] for f in reads(output.writes)] == [convs[IN_FLIGHT]]


def test_a_refused_or_unreadable_read_is_dropped_and_the_next_one_goes() -> None:
    session = synced()
    first = reads(session.read_messages([f"c{n}" for n in range(IN_FLIGHT + 2)], T0).writes)
    refused = answer(session, json.dumps(first[0]), code=400, body="no such dialog")
    unreadable = answer(session, json.dumps(first[1]), body=[{"sequence": "x"}])
    assert refused.events == () and unreadable.events == ()
    assert len(reads(refused.writes)) == len(reads(unreadable.writes)) == 1
    assert refused.reconnect is None and session.synced


def test_reads_lost_with_the_connection_are_asked_again_and_a_late_one_is_dropped() -> None:
    session = synced()
    reads(session.read_messages(["c1", "c2"], T0).writes)
    session.disconnected(T0 + 1, "gone")
    again = reads(session.connected(T0 + 2).writes)
    assert sorted(f["body"]["dialogId"] for f in again) == ["c1", "c2"]
    late = session.timer(T0 + 10)  # the subscriptions and reads all unanswered
    assert late.reconnect is not None  # for the subscription, not for the reads
    fresh = synced()
    reads(fresh.read_messages(["c1"], T0).writes)
    output = fresh.timer(T0 + 10)
    assert output.reconnect is None and output.events == ()
