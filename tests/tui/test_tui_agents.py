"""One identity (`Ana (a1)`) everywhere, and the agents view: a cursor, the problem agents
first, a sort that cycles, Enter filters the table by the agent, hold and release from it."""

from __future__ import annotations

from textual.widgets import Input, Static
from tui_harness import T0, Floor, events_text, main_screen, row, shown, table, text_of, title

from engine.core import HoldAgent
from tui.app import FloorwatchApp
from tui.screens.confirm import ConfirmModal
from tui.widgets.agent_cells import layout
from tui.widgets.agents_view import AgentsView
from tui.widgets.event_log import EventLog

SIZE = (140, 40)


def agents(app: FloorwatchApp) -> AgentsView:
    return main_screen(app).query_one(AgentsView)


def agent_lines(app: FloorwatchApp) -> list[str]:
    return text_of(agents(app)).splitlines()


async def test_an_agent_is_name_and_id_in_the_table_and_the_events(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Ana (a1)" in row(app, "c1")
        assert " a9 " in row(app, "c9") and "(a9)" not in row(app, "c9"), "no name: the id"
        table(app).select("c3")
        await pilot.press("u", "y")
        await pilot.pause(0.3)
        assert "c3 Ana (a1)" in events_text(app)


async def test_the_filter_matches_names_ids_skills_and_conversations(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"cleo")
        assert shown(app) == ["c5"], "by the agent's name"
        for query, expected in (("a4", ["c6"]), ("billing", ["c3", "c4"]), ("c9", ["c9"])):
            main_screen(app).query_one("#filter", Input).value = query
            await pilot.pause()
            assert sorted(shown(app)) == expected, query


async def test_the_problem_agents_come_first_and_s_cycles_the_sort(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        view = agents(app)
        assert view.order[:2] == ["a1", "a2"], "most waiting: Ana 3, Ben 2"
        view.show(floor.engine.read.agents(), {"a3": 1})  # as if Cleo's c5 were overdue
        assert view.order[:2] == ["a3", "a1"], "most overdue, then most waiting"
        assert "Agents · by problems (s)" in str(view.border_title)
        assert "1 late" in agent_lines(app)[0]
        await pilot.press("tab")
        assert view.has_focus
        await pilot.press("s")
        assert view.sort == "waiting" and view.order[0] == "a1"
        assert "Agents · by waiting" in str(view.border_title)
        await pilot.press("s", "s", "s")
        assert view.sort == "name" and view.order[:3] == ["a1", "a2", "a3"]
        await pilot.press("s")
        assert view.sort == "problems"
        await pilot.press("tab")
        assert main_screen(app).query_one(EventLog).has_focus, "then the events"
        await pilot.press("tab")
        assert table(app).has_focus, "and round again"


async def test_enter_on_an_agent_shows_their_conversations_esc_shows_all(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        view = agents(app)
        assert view.cursor is not None and view.cursor.agent_id == "a1"
        await pilot.press("enter")
        assert sorted(shown(app)) == ["c1", "c3", "c7"]
        assert "only Ana (a1)'s 3 (esc shows all)" in title(app)
        assert table(app).has_focus and view.chosen == "a1"
        await pilot.press("escape")
        assert len(shown(app)) == 8 and "only" not in title(app) and view.chosen is None


async def test_hold_and_release_an_agent_from_the_agents_view(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "down")  # a2 (Ben): problems sort puts Ana first
        view = agents(app)
        assert view.cursor is not None and view.cursor.agent_id == "a2"
        await pilot.press("a")
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a2"] == [True]
        assert "held" in agent_lines(app)[1]
        await pilot.press("a")
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a2"] == [False]


async def test_releasing_an_agent_with_late_conversations_asks(floor: Floor) -> None:
    floor.service.execute(HoldAgent(agent="a1", by="supervisor"), T0)
    floor.advance(30)  # c1 (Ana, 20 s left) is 10 s past its deadline
    app = floor.app()
    async with app.run_test(size=SIZE) as pilot:
        main_screen(app).release_agent("a1")  # what the agents view's `a` asks for
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        question = str(app.screen.query_one("#question", Static).content)
        assert question.startswith("1 of Ana (a1)'s conversations are past their deadline")
        await pilot.press("n")
        assert [a.held for a in floor.engine.read.agents() if a.agent_id == "a1"] == [True]


async def test_the_agents_view_drops_columns_before_cutting_figures(floor: Floor) -> None:
    floor.service.execute(HoldAgent(agent="a2", by="supervisor"), T0)
    app = floor.app()
    async with app.run_test(size=(80, 24)):
        ana = next(line for line in agent_lines(app) if line.startswith("Ana (a1)"))
        assert ana.split()[-1] == "3/3", "the figures whole"
        lines = agents(app).lines
        assert list(layout(lines, 60)) == ["name", "state", "for", "figures", "held"]
        assert list(layout(lines, 34)) == ["name", "state", "figures", "held"]
        assert list(layout(lines, 26)) == ["name", "figures", "held"]


async def test_the_agents_view_uses_the_height_it_is_given(floor: Floor) -> None:
    app = floor.app()
    async with app.run_test(size=(220, 60)):
        assert agents(app).size.height > 16
