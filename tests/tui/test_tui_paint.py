"""The table never shows a stale row: after any feed events, commands, freezes, cursor moves
and resizes, every painted row is what a fresh render of the read model gives."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import set_cell_size
from tui_harness import Floor, main_screen, make_floor, table, waiting

from engine.core import AgentChanged, AgentState, ConversationGone, Hold
from engine.core.views import ConversationView
from tui.app import FloorwatchApp
from tui.widgets.columns import STATIC_TEXT, fit, layout, live_text
from tui.widgets.conversation_rows import ConversationRows

CONVS = ("c1", "c3", "c7", "n1")
AGENTS = ("a1", "a2", "a3", "a4", None)
SIZES = ((120, 40), (90, 24), (70, 16))
Op = tuple[str, ...] | tuple[str, str, str | None] | tuple[str, float] | tuple[str, int, int]

ops = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(("route", "bounce")), st.sampled_from(CONVS), st.sampled_from(AGENTS)
        ),
        st.tuples(st.sampled_from(("close", "answer", "hold", "select")), st.sampled_from(CONVS)),
        st.tuples(
            st.just("presence"),
            st.sampled_from(AGENTS[:4]),
            st.sampled_from([s.value for s in AgentState]),
        ),
        st.tuples(st.just("advance"), st.sampled_from((1.0, 10.0, 40.0))),
        st.tuples(st.just("resize"), st.sampled_from(range(len(SIZES)))),
        st.tuples(st.just("freeze")),
    ),
    min_size=1,
    max_size=14,
)


def fresh_line(view: ConversationView, width: int, now: float) -> str:
    """A row's text worked out from its view alone, with the table's column layout."""
    cells = []
    for column, size in layout(width):
        text = live_text(column.key, view, now) if column.live else STATIC_TEXT[column.key](view)
        cells.append(fit(text, size, right=column.right))
    return set_cell_size("".join(cells), width)


def assert_truthful(app: FloorwatchApp, floor: Floor) -> None:
    conversations, read = table(app), floor.service.read
    width = conversations.scrollable_content_region.width
    top, now = conversations.scroll_offset.y, floor.clock.now()
    for y in range(conversations.size.height):
        if top + y >= len(conversations.order):
            break
        conv_id = conversations.order[top + y]
        painted = conversations.render_line(y).text
        view = read.conversation(conv_id)
        if view is None:
            assert conversations.frozen and painted.split()[-1] == "left", painted
        else:
            assert painted == fresh_line(view, width, now), conv_id
    if not conversations.frozen:
        fresh = ConversationRows()
        views = (read.conversation(c) for c in read.watched_ids())
        fresh.load(v for v in views if v is not None)
        assert conversations.order == fresh.order


async def play(steps: list[Op]) -> None:
    floor = make_floor()
    app = floor.app()
    async with app.run_test(size=SIZES[0]) as pilot:
        screen = main_screen(app)
        assert_truthful(app, floor)
        for step in steps:
            match step:
                case ("route", str(conv_id), agent) if conv_id in floor.known:
                    floor.route(conv_id, agent if isinstance(agent, str) else None)
                case ("route", str(conv_id), agent):
                    since = floor.clock.now() - 20
                    floor.feed(
                        waiting(conv_id, "sales", agent if isinstance(agent, str) else None, since)
                    )
                case ("bounce", str(conv_id), agent) if conv_id in floor.known:
                    floor.route(conv_id, None)
                    screen.apply_feed()
                    floor.route(conv_id, agent if isinstance(agent, str) else None)
                case ("close", str(conv_id)):
                    floor.feed(ConversationGone(conv_id))
                case ("answer", str(conv_id)) if conv_id in floor.known:
                    floor.answer(conv_id)
                case ("hold", str(conv_id)):
                    floor.service.execute(Hold(conv=conv_id, by="supervisor"), floor.clock.now())
                case ("select", str(conv_id)) if conv_id in table(app).order:
                    table(app).select(conv_id)
                case ("presence", str(agent), str(state)):
                    floor.feed(AgentChanged(agent, AgentState(state), floor.clock.now()))
                case ("advance", float(seconds)):
                    floor.advance(seconds)
                case ("resize", int(size)):
                    await pilot.resize_terminal(*SIZES[size])
                case ("freeze",):
                    await pilot.press("f")
            screen.apply_feed()
            await pilot.pause()
            assert_truthful(app, floor)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops)
@example([("bounce", "c7", "a2")])  # issue 12: unassigned, routed again, showed a1 still
@example([("select", "c7"), ("route", "c7", None), ("route", "c7", "a2"), ("freeze",)])
def test_every_painted_row_is_a_fresh_render_of_the_read_model(steps: list[Op]) -> None:
    asyncio.run(play(steps))
