"""What an engine recalls from the floor's audit when it starts or takes a team floor over:
moves to a fallback skill count against `moves_per_hour` whichever engine made them, and give
back knows whom a conversation was taken from."""

from __future__ import annotations

from core_harness import Floor, waiting_floor

from engine.core import ActionSucceeded, AgentState, AuditEvent, AuditType, GiveBack, Reason
from engine.core.recall import Move, recalled

PING_PONG = {
    "online": 60,
    "moves_per_hour": 1,
    "skills": {
        "sales": {"on_unassign": "skill:overflow"},
        "overflow": {"on_unassign": "skill:sales"},
    },
}


def moved_once() -> Floor:
    """c1's wait (sales, Ana) is due at 60 s: moved to overflow, and the feed confirms it."""
    floor = waiting_floor(PING_PONG)
    floor.advance(60.0)
    [action] = floor.actions
    floor.engine.apply(ActionSucceeded(action), 60.5)
    floor.assign("c1", 61.0, None, skill="overflow")
    return floor


def restarted(audit: list[AuditEvent] | None, at: float) -> Floor:
    """A new engine (the old audit recalled, unless None) sees c1 with Ana again on overflow,
    the consumer writing at `at`."""
    floor = Floor(PING_PONG)
    if audit is not None:
        floor.engine.recall(audit)
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.open("c1", at, "a1", skill="overflow", consumer_at=at)
    return floor


def test_a_move_recalled_after_a_restart_counts_against_the_hourly_limit() -> None:
    before = moved_once()
    after = restarted(before.audit, 100.0)
    after.advance(160.0)
    [action] = after.actions
    assert action.to_skill is None
    assert after.decided()[-1].detail == (
        "0.0 s past the deadline; not moved to skill sales: moved 1 time in the last hour"
        " (the limit), back to the overflow queue"
    )


def test_without_the_recall_the_new_engine_would_move_it_again() -> None:
    after = restarted(None, 100.0)
    after.advance(160.0)
    assert [a.to_skill for a in after.actions] == ["sales"]


def test_a_recalled_move_counts_for_an_hour_from_its_confirmation() -> None:
    before = moved_once()
    after = restarted(before.audit, 3602.0)
    after.advance(3662.0)  # the move was confirmed at 61.0: more than an hour ago
    assert [a.to_skill for a in after.actions] == ["sales"]


def test_give_back_knows_whom_a_recalled_unassign_took_the_conversation_from() -> None:
    before = moved_once()
    after = Floor(PING_PONG)
    after.engine.recall(before.audit)
    after.presence("a1", AgentState.ONLINE, 0.0)
    after.open("c1", 61.0, None, skill="overflow")
    assert after.engine.read.taken_from("c1") == "a1"
    assert after.engine.execute(GiveBack(conv="c1", by="Sam"), 70.0) is None
    after.collect()
    assert [(t.conv_id, t.agent) for t in after.transfers] == [("c1", "a1")]


def line(type_: AuditType, at: float, key: str = "k1", detail: str = "") -> AuditEvent:
    return AuditEvent(at, type_, "c1", "a1", Reason.ONLINE, detail=detail, key=key)


MOVE = "0.0 s past the deadline; to skill overflow"


def test_each_outcome_of_a_decided_move_is_read_as_the_limit_needs() -> None:
    decided, confirmed = AuditType.UNASSIGN_DECIDED, AuditType.UNASSIGN_CONFIRMED
    failed = AuditType.UNASSIGN_FAILED
    found = recalled(
        [
            line(decided, 10.0, "k1", MOVE),
            line(confirmed, 12.0, "k1"),  # counts from its confirmation
            line(decided, 20.0, "k2", MOVE),  # no outcome held: counts from its decision
            line(decided, 30.0, "k3", MOVE),
            line(failed, 31.0, "k3"),  # failed last: no move
            line(decided, 40.0, "k4", MOVE),
            line(failed, 41.0, "k4"),
            line(confirmed, 45.0, "k4"),  # retried, then confirmed
            line(decided, 50.0, "k5", MOVE + "; dry run: not sent"),
            line(decided, 60.0, "k6", "0.0 s past the deadline"),  # back to its queue
            line(confirmed, 61.0, "k6"),
        ]
    )
    assert found.moves == [Move("c1", "k1", 12.0), Move("c1", "k2", 20.0), Move("c1", "k4", 45.0)]
    assert found.taken == {"c1": "a1"}


def test_a_conversation_given_back_since_its_unassign_was_taken_from_nobody() -> None:
    accepted = AuditEvent(70.0, AuditType.GIVE_BACK_ACCEPTED, "c1", "a1", detail="SUGGESTED")
    found = recalled([line(AuditType.UNASSIGN_CONFIRMED, 61.0), accepted])
    assert found.taken == {"c1": None}
    floor = Floor(PING_PONG)
    floor.engine.recall([line(AuditType.UNASSIGN_CONFIRMED, 61.0), accepted])
    assert floor.engine.read.taken_from("c1") is None


def test_a_move_told_twice_counts_once() -> None:
    before = moved_once()
    twice = Floor({**PING_PONG, "moves_per_hour": 2})
    twice.engine.recall(before.audit)
    twice.engine.recall(before.audit)  # a second takeover recalls the same lines again
    twice.presence("a1", AgentState.ONLINE, 0.0)
    twice.open("c1", 100.0, "a1", skill="overflow", consumer_at=100.0)
    twice.advance(160.0)
    assert [a.to_skill for a in twice.actions] == ["sales"]  # one move of two allowed
