"""Storage faults under a running FloorService (real Store, Engine and LinkSession, real
files): the data file deleted or replaced, a second writer, a full database. The service stops
acting at once, keeps every event in memory in order, tells listeners only once they are
saved, and `save_to` a new file resumes acting with nothing lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.core import (
    AgentChanged,
    AgentState,
    AuditEvent,
    AuditType,
    BarrierCompleted,
    ConversationChanged,
    Engine,
    FeedFresh,
    LastMessage,
    Policy,
)
from engine.link.session import LinkSession
from engine.service import FloorService
from engine.store import DiskFullError, Store

T0 = 1_700_000_000.0
ONLINE = 60.0
UNASSIGN = ".ams.cm.UpdateConversationField"


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


def _answer(write: str, now: float, code: int = 200) -> str:
    request = json.loads(write)
    body = {"currentTime": round(now * 1000)}
    return json.dumps(
        {"kind": "resp", "reqId": request["id"], "code": code, "type": "x", "body": body}
    )


def _live(store: Store) -> tuple[FloorService, list[AuditEvent]]:
    """A connected, resynced service with one Online agent and two waiting conversations."""
    engine = Engine(Policy.from_mapping({"online": ONLINE}))
    service = FloorService(engine, LinkSession(brand_id="1234"), store=store)
    heard: list[AuditEvent] = []
    service.subscribe(heard.append)
    service.connected(T0)
    for write in service.take_writes():
        service.receive(_answer(write, T0), T0)
    agent = AgentChanged("a1", AgentState.ONLINE, T0 - 600, "Ana")
    service.apply([agent, _waiting("c1", T0), _waiting("c2", T0 + 30), FeedFresh(T0)], T0)
    service.take_writes()
    return service, heard


def _unassigns(service: FloorService) -> list[str]:
    return [
        json.loads(w)["body"]["conversationId"]
        for w in service.take_writes()
        if json.loads(w)["type"] == UNASSIGN
    ]


def _types(events: list[AuditEvent]) -> list[str]:
    return [event.type.value for event in events]


def _stored(path: Path) -> list[AuditEvent]:
    with Store.open(path, read_only=True) as store:
        return [event for _, event in store.audit()]


def _lose_then_save(service: FloorService, heard: list[AuditEvent], new: Path) -> None:
    """c1 falls due after the file is lost: nothing sent, all kept; then save_to(new)."""
    before = list(heard)
    due = T0 + ONLINE
    service.apply([BarrierCompleted(due)], due)
    problem = service.storage_problem
    assert problem is not None
    assert _unassigns(service) == [], "no unassign on an audit not committed"
    kept = service.unsaved_events()
    assert _types(kept) == ["unassign.decided", "feed.stale", "unassign.failed"]
    assert kept[2].detail.startswith("not sent: ") and problem in kept[2].detail
    assert heard == before, "listeners hear nothing before it is saved"

    # Still lost: c2 falls due too, and the engine decides nothing at all.
    later = T0 + 30 + ONLINE + 1
    service.apply([BarrierCompleted(later)], later)
    assert _unassigns(service) == []
    assert service.unsaved_events() == kept

    service.save_to(new, later)
    assert service.storage_problem is None and service.unsaved_events() == []
    assert heard[: len(before) + len(kept)] == [*before, *kept], "then every kept one, in order"
    # Acting resumes at once on the barrier completed meanwhile (the feed was applied all
    # along): c2 is decided, c1's unassign that was never sent is retried.
    resumed = heard[len(before) + len(kept) :]
    assert _types(resumed) == ["feed.fresh", "unassign.decided"]
    assert "saved to" in resumed[0].detail and resumed[1].conv == "c2"
    assert sorted(_unassigns(service)) == ["c1", "c2"]
    stored = _stored(new)
    assert stored[: len(before)] == before, "the old file's history is copied"
    assert stored == heard, "and the new file holds all of it, in order"


def test_a_deleted_data_file_stops_acting_until_saved_to_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "floor.db"
    with Store.open(path) as store:
        service, heard = _live(store)
        path.unlink()
        _lose_then_save(service, heard, tmp_path / "saved.db")
        assert "was deleted" in (_stored(tmp_path / "saved.db")[-4].detail or "")
        service.close()


def test_a_replaced_data_file_is_noticed_the_same_way(tmp_path: Path) -> None:
    path, other = tmp_path / "floor.db", tmp_path / "other.db"
    Store.open(other).close()
    with Store.open(path) as store:
        service, heard = _live(store)
        os.replace(other, path)
        _lose_then_save(service, heard, tmp_path / "saved.db")
        service.close()
    assert _stored(path) == [], "the file renamed over the path is left as it was"


def test_save_to_the_same_path_writes_a_deleted_file_back(tmp_path: Path) -> None:
    path = tmp_path / "floor.db"
    with Store.open(path) as store:
        service, heard = _live(store)
        path.unlink()
        _lose_then_save(service, heard, path)
        service.close()


def test_no_two_actors_after_the_data_and_lock_files_are_replaced(tmp_path: Path) -> None:
    """`rm floor.db*` under a running Floorwatch: a second one can open the path, and from
    then on the first sends nothing, not even a retry of an unassign it already sent."""
    path = tmp_path / "floor.db"
    with Store.open(path) as store:
        service, _ = _live(store)
        due = T0 + ONLINE
        service.apply([BarrierCompleted(due)], due)
        [write] = service.take_writes()
        service.receive(_answer(write, due, code=500), due)  # refused: a retry in 2 s
        for name in os.listdir(tmp_path):
            (tmp_path / name).unlink()
        with Store.open(path) as second:
            retry = due + 3
            service.apply([BarrierCompleted(retry)], retry)
            assert _unassigns(service) == [], "the retry carries no audit: still checked"
            assert service.storage_problem is not None
            assert "floor.db" in service.storage_problem
            assert _types(service.unsaved_events())[-1] == "unassign.failed"
            second.append(service.unsaved_events())  # the second writes; the first cannot
        service.close()


def test_a_full_database_says_so_and_retry_save_resumes(tmp_path: Path) -> None:
    """A real SQLITE_FULL: the file's page limit set just above its size."""
    path = tmp_path / "floor.db"
    with Store.open(path) as store:
        service, heard = _live(store)
        before = len(heard)
        conn = store._conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        filler = AuditEvent(at=T0, type=AuditType.FEED_STALE, detail="filler")
        with pytest.raises(DiskFullError):
            for _ in range(10_000):  # fill the last page: nothing more fits in the file
                store.append([filler])
        due = T0 + ONLINE
        service.apply([BarrierCompleted(due)], due)
        problem = service.storage_problem
        assert problem is not None and "the disk is full" in problem and str(path) in problem
        assert _unassigns(service) == []
        assert len(heard) == before
        conn.execute("PRAGMA max_page_count = 1000000")  # space freed
        service.retry_save(due + 1)
        assert service.storage_problem is None
        assert [e for e in _stored(path) if e.detail != "filler"] == heard
        assert _types(heard)[before:] == [
            "unassign.decided",
            "feed.stale",
            "unassign.failed",
            "feed.fresh",
        ]
