"""The dashboards of a team floor a key away: each engine's keeper marks its dashboard as
it reaches the database; the list says which one acts and which is this one; a clean stop
leaves the floor; a solo floor has no such list."""

from __future__ import annotations

import re

from desk import T0, Desk
from textual.widgets import Static

from engine.core import Engine
from engine.link.session import LinkSession
from engine.service import FloorService
from tui.app import FloorwatchApp
from tui.clock import FrozenClock
from tui.screens.dashboards import DashboardsScreen


def test_each_keeper_marks_its_dashboard_and_a_clean_stop_leaves(desks: tuple[Desk, Desk]) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    a.keeper.step()  # Dana's keeper reads the list again, now with Eli's dashboard on it
    shown = [(d.supervisor, d.engine, d.acting, d.own) for d in a.service.dashboards]
    assert shown == [("dana", "dana", True, True), ("eli", "eli", False, False)]
    assert all(0 <= d.seen_ago < 5 for d in a.service.dashboards)
    a.keeper.release()
    b.keeper.step()
    assert [(d.engine, d.acting, d.own) for d in b.service.dashboards] == [("eli", True, True)]


async def test_the_list_is_a_key_away_on_a_team_floor(desks: tuple[Desk, Desk]) -> None:
    a, b = desks
    a.keeper.step()
    b.keeper.step()
    app = FloorwatchApp(b.service, FrozenClock(T0))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DashboardsScreen)
        body = str(app.screen.query_one("#dashboards-body", Static).render())
        lines = [re.sub(r"seen \d+ s ago", "seen N s ago", line) for line in body.splitlines()]
        assert lines == [
            "ACTING    dana  dana  seen N s ago",
            "watching  eli  eli  seen N s ago  (this one)",
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardsScreen)


async def test_a_solo_floor_has_no_dashboards_list() -> None:
    service = FloorService(Engine(), LinkSession(brand_id="1234"))
    app = FloorwatchApp(service, FrozenClock(T0))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, DashboardsScreen)
