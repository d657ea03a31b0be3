"""The table's rows: sort, filter and batches, by conversation id."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engine.core import AgentState, Reason, Status
from engine.core.views import ConversationView
from tui.widgets.columns import COLUMNS, layout
from tui.widgets.conversation_rows import ConversationRows


def view(conv_id: str, deadline: float | None, **changes: Any) -> ConversationView:
    base = ConversationView(
        conv_id=conv_id,
        consumer=None,
        skill="sales",
        agent="a1",
        agent_state=AgentState.ONLINE,
        waiting_since=0.0,
        reason=Reason.ONLINE,
        threshold=60.0,
        deadline=deadline,
        status=Status.WATCHING if deadline is not None else Status.OFF,
        hold_until=None,
        extension=0.0,
        last_error=None,
    )
    return replace(base, **changes)


def loaded() -> ConversationRows:
    rows = ConversationRows()
    rows.load([view("c1", 30.0), view("c2", None), view("c3", 10.0), view("c4", 20.0)])
    return rows


def test_least_time_left_first_and_no_deadline_last_either_way() -> None:
    rows = loaded()
    assert rows.order == ["c3", "c4", "c1", "c2"]
    rows.set_sort("left", reverse=True)
    assert rows.order == ["c1", "c4", "c3", "c2"]


def test_a_batch_moves_changed_rows_and_drops_gone_ones() -> None:
    rows = loaded()
    before = rows["c1"].version
    rows.update({"c1": view("c1", 5.0), "c4": None, "c9": view("c9", 15.0)})
    assert rows.order == ["c1", "c3", "c9", "c2"]
    assert rows["c1"].version != before and len(rows) == 4


def test_an_unchanged_view_keeps_its_version() -> None:
    rows = loaded()
    before = rows["c1"].version
    rows.update({"c1": view("c1", 30.0)})
    assert rows["c1"].version == before


def test_a_row_that_leaves_and_comes_back_never_reuses_a_version() -> None:
    rows = loaded()
    versions = {rows[c].version for c in ("c1", "c2", "c3", "c4")}
    rows.update({"c1": None})
    rows.update({"c1": view("c1", 30.0, agent="a2")})
    assert rows["c1"].version not in versions
    again = rows["c1"].version
    rows.load([view("c1", 30.0, agent="a2")])
    assert rows["c1"].version not in versions | {again}, "a reload makes new versions too"


def test_frozen_rows_change_in_place_and_gone_ones_stay_until_thawed() -> None:
    rows = loaded()
    rows.set_frozen(True)
    gone_version = rows["c4"].version
    rows.update({"c1": view("c1", 5.0), "c4": None, "c9": view("c9", 1.0)})
    assert rows.order == ["c3", "c4", "c1", "c2", "c9"], "nothing moves; new rows go last"
    assert rows["c4"].gone and rows["c4"].version != gone_version
    assert rows["c1"].view.deadline == 5.0
    assert len(rows) == 4 and "c4" not in {v.conv_id for v in rows.views()}
    rows.update({"c4": view("c4", 20.0)})
    assert not rows["c4"].gone and len(rows) == 5, "back while frozen: in its old place"
    rows.update({"c4": None})
    rows.set_frozen(False)
    assert rows.order == ["c9", "c1", "c3", "c2"] and len(rows) == 4


def test_filter_needs_every_word_and_follows_changes() -> None:
    rows = loaded()
    rows.update({"c3": view("c3", 10.0, skill="billing", agent="a2")})
    rows.set_query("billing A2")
    assert rows.order == ["c3"]
    rows.update({"c1": view("c1", 30.0, skill="billing", agent="a2")})
    assert rows.order == ["c3", "c1"]
    rows.set_query("")
    assert len(rows.order) == 4


def test_position_is_none_for_a_hidden_row() -> None:
    rows = loaded()
    rows.set_query("nothing")
    assert rows.position("c1") is None and rows.position(None) is None


def test_narrow_layouts_drop_columns_and_fill_the_width() -> None:
    wide = [column.key for column, _ in layout(200)]
    assert wide == [column.key for column in COLUMNS]
    narrow = layout(77)
    assert [c.key for c, _ in narrow] == [
        "conversation",
        "skill",
        "agent",
        "state",
        "waiting",
        "left",
        "status",
    ]
    assert sum(width + 1 for _, width in narrow) == 77


def test_the_last_columns_sorted_by_stay_sorted_through_batches() -> None:
    rows = loaded()
    rows.set_sort("conversation", reverse=False)
    assert rows.kept == ("left", "conversation")
    rows.update({"c3": view("c3", 40.0), "c0": view("c0", 1.0)})
    rows.set_sort("left", reverse=True)  # kept: nothing sorted again, and up to date
    assert rows.kept == ("conversation", "left")
    assert rows.order == ["c3", "c1", "c4", "c0", "c2"]
    rows.set_sort("skill", reverse=False)  # a third column lets the oldest go
    assert rows.kept == ("left", "skill")
    rows.set_sort("conversation", reverse=False)
    assert rows.order == ["c0", "c1", "c2", "c3", "c4"]
