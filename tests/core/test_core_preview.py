"""What a change would do before it is made (the screens ask with these figures), and the
statuses a row shows around holds, failures and dry run."""

from __future__ import annotations

from core_harness import Floor, make_policy, waiting_floor

from engine.core import ActionFailed, AgentState, Hold, HoldAgent, Reason, SetDryRun, Status


def busy_floor() -> Floor:
    """a1 online, a2 away; c1 (sales, a1) waits since 0, c2 (billing, a1) since 20,
    c3 (sales, a2) since 10. Policy online 60, away 30, offline 10; now 25."""
    floor = Floor({"online": 60, "away": 30, "offline": 10})
    floor.presence("a1", AgentState.ONLINE, 0.0)
    floor.presence("a2", AgentState.AWAY, 0.0)
    floor.open("c1", 0.0, "a1", consumer_at=0.0)
    floor.open("c2", 0.0, "a1", skill="billing", consumer_at=20.0)
    floor.open("c3", 0.0, "a2", consumer_at=10.0)
    floor.tick(25.0)
    return floor


def test_a_tighter_policy_counts_what_becomes_due_now_and_what_moves() -> None:
    floor = busy_floor()
    proposed = make_policy({"online": 20, "away": 60, "skills": {"billing": {"online": 30}}})
    preview = floor.engine.preview.policy(proposed, 25.0)
    # c1: 60 -> 20 (due now); c2: 80 -> 50 (earlier, still ahead); c3: 40 -> 70 (later)
    assert (preview.due_now, preview.earlier, preview.later) == (("c1",), 1, 1)
    assert floor.engine.read.policy.default.online == 60, "a preview changes nothing"
    assert floor.decided() == []


def test_turning_a_threshold_off_counts_as_a_later_deadline() -> None:
    floor = busy_floor()
    preview = floor.engine.preview.policy(make_policy({"online": 60, "away": None}), 25.0)
    assert (preview.due_now, preview.earlier, preview.later) == ((), 0, 1)


def test_the_same_policy_changes_nothing() -> None:
    floor = busy_floor()
    preview = floor.engine.preview.policy(floor.engine.read.policy, 25.0)
    assert (preview.due_now, preview.earlier, preview.later) == ((), 0, 0)


def test_held_rows_keep_the_deadline_they_passed() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 10.0)
    view = floor.view("c1")
    assert (view.status, view.deadline, view.due_at) == (Status.HELD, None, 60.0)
    assert (view.reason, view.threshold) == (Reason.ONLINE, 60.0)


def test_releasing_an_overdue_hold_says_how_late_it_is() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 10.0)
    assert floor.engine.preview.release("c1", 50.0) is None, "not due yet: nothing happens"
    assert floor.engine.preview.release("c1", 75.0) == 15.0


def test_releasing_a_conversation_whose_agent_is_held_unassigns_nothing() -> None:
    floor = waiting_floor()
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 10.0)
    floor.engine.execute(HoldAgent(agent="a1", by="sup"), 10.0)
    assert floor.engine.preview.release("c1", 75.0) is None


def test_a_failed_retrying_row_shows_its_threshold_not_off() -> None:
    floor = waiting_floor()
    floor.advance(61.0)
    [action] = floor.actions
    floor.engine.apply(ActionFailed(action, "timed out"), 62.0)
    view = floor.view("c1")
    assert (view.status, view.reason, view.threshold) == (Status.FAILED, Reason.ONLINE, 60.0)


def test_would_unassign_becomes_not_sent_when_dry_run_ends() -> None:
    floor = waiting_floor(dry_run=True)
    floor.advance(100.0)
    assert floor.view("c1").status is Status.WOULD_UNASSIGN
    floor.engine.execute(SetDryRun(on=False, by="sup"), 100.0)
    view = floor.view("c1")
    assert (view.status, view.due_at) == (Status.NOT_SENT, 60.0)
    floor.advance(200.0)
    assert floor.actions == [], "a wait is decided once: dry run's decision stands"
    floor.engine.execute(SetDryRun(on=True, by="sup"), 200.0)
    assert floor.view("c1").status is Status.WOULD_UNASSIGN


def test_releasing_an_agent_names_the_conversations_it_unassigns_at_once() -> None:
    floor = busy_floor()
    floor.engine.execute(HoldAgent(agent="a1", by="sup"), 25.0)
    assert floor.engine.preview.release_agent("a1", 70.0) == {"c1": 10.0}
    floor.engine.execute(Hold(conv="c1", until=None, by="sup"), 70.0)
    assert floor.engine.preview.release_agent("a1", 70.0) == {}, "c1 stays held on its own"


def test_a_release_that_changes_nothing_due_says_nothing() -> None:
    floor = waiting_floor()
    assert floor.engine.preview.release("c1", 75.0) is None, "due already, not held"
    assert floor.engine.preview.release("c9", 75.0) is None, "unknown"
