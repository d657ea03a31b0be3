"""The table's indexed order against a brute-force one: after any sequence of batches,
filters, sorts, figure and agent filters, freezes and thaws, the order shown is what sorting
the matching rows from scratch gives (and, while frozen, nothing shown moves)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from test_tui_rows import view

from engine.core.views import ConversationView
from tui.widgets.columns import COLUMN_KEYS, by_key
from tui.widgets.conversation_rows import ConversationRows

IDS = [f"c{i}" for i in range(12)]
AGENTS = ["a1", "a2", "a3"]
SKILLS = ["sales", "billing", None]


@st.composite
def views(draw: st.DrawFn) -> ConversationView:
    conv_id = draw(st.sampled_from(IDS))
    deadline = draw(st.none() | st.sampled_from([5.0, 10.0, 10.0, 30.0]))
    return view(
        conv_id,
        deadline,
        agent=draw(st.sampled_from(AGENTS)),
        skill=draw(st.sampled_from(SKILLS)),
        waiting_since=draw(st.sampled_from([0.0, 3.0, 7.0])),
    )


OPERATIONS = st.one_of(
    st.tuples(st.just("batch"), st.lists(st.tuples(st.sampled_from(IDS), st.none() | views()))),
    st.tuples(st.just("query"), st.sampled_from(["", "c", "c1", "c1 a", "sal", "a2", "zz"])),
    st.tuples(st.just("type"), st.sampled_from(["1", "0", " ", "s"])),
    st.tuples(st.just("sort"), st.tuples(st.sampled_from(COLUMN_KEYS), st.booleans())),
    st.tuples(st.just("only"), st.none() | st.frozensets(st.sampled_from(IDS))),
    st.tuples(st.just("agent"), st.none() | st.sampled_from(AGENTS)),
    st.tuples(st.just("freeze"), st.booleans()),
)


def expected(rows: ConversationRows, known: dict[str, ConversationView]) -> list[str]:
    """Sort the matching rows from scratch: values ascending (reversed on request), rows
    without a value last either way, ties by id."""
    column = by_key(rows.sort_column)
    terms = rows.query.lower().split()

    def matches(v: ConversationView) -> bool:
        if rows.only is not None and v.conv_id not in rows.only:
            return False
        if rows.agent is not None and v.agent != rows.agent:
            return False
        return all(term in rows[v.conv_id].haystack for term in terms)

    shown = [v for v in known.values() if matches(v)]
    valued = [v for v in shown if column.sort_key(v) is not None]
    valueless = [v for v in shown if column.sort_key(v) is None]
    valued.sort(key=lambda v: (column.sort_key(v), v.conv_id), reverse=rows.reverse)
    valueless.sort(key=lambda v: v.conv_id, reverse=rows.reverse)
    return [v.conv_id for v in valued + valueless]


@settings(max_examples=300, deadline=None)
@given(st.lists(views(), max_size=8), st.lists(OPERATIONS, max_size=25))
def test_the_order_is_always_what_a_fresh_sort_gives(
    first: list[ConversationView], operations: list[tuple[str, object]]
) -> None:
    rows = ConversationRows()
    known = {v.conv_id: v for v in first}
    rows.load(known.values())
    for name, argument in operations:
        frozen_before = list(rows.order) if rows.frozen else None
        match name:
            case "batch":
                assert isinstance(argument, list)
                changes = {
                    conv_id: replace(v, conv_id=conv_id) if v else None for conv_id, v in argument
                }
                rows.update(changes)
                for conv_id, v in changes.items():
                    if v is None:
                        known.pop(conv_id, None)
                    else:
                        known[conv_id] = v
            case "query":
                assert isinstance(argument, str)
                rows.set_query(argument)
            case "type":
                assert isinstance(argument, str)
                rows.set_query(rows.query + argument)
            case "sort":
                assert isinstance(argument, tuple)
                rows.set_sort(*argument)
            case "only":
                rows.set_only(argument)  # type: ignore[arg-type]
            case "agent":
                rows.set_agent(argument)  # type: ignore[arg-type]
            case "freeze":
                rows.set_frozen(bool(argument))
        if rows.frozen:
            if frozen_before is not None and name == "batch":
                shown = list(rows.order)
                assert shown[: len(frozen_before)] == frozen_before, "nothing shown moves"
            continue
        assert list(rows.order) == expected(rows, known)
        for at, conv_id in enumerate(rows.order):
            assert rows.position(conv_id) == at
        hidden = set(known) - set(rows.order)
        assert all(rows.position(conv_id) is None for conv_id in hidden)
