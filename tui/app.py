"""The Floorwatch app: the supervisor's view of the floor, driving a `FloorService`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from functools import partial
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen

from engine.core.ports import Clock
from engine.service import FloorService
from engine.status import FeedStatus
from tui.keymap import with_partners
from tui.screens.confirm import ConfirmModal
from tui.screens.dashboards import DashboardsScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.summary import feed_status
from tui.text import as_markup, safe
from tui.widgets.columns import COLUMNS

__all__ = ["FloorwatchApp"]

Command = tuple[str, str, str, Callable[[], Awaitable[object]]]
"""Name, key ("" for none), what it does, and how to run it."""


class FloorCommands(Provider):
    """The command palette offers what the shown keys do (each with its key), plus every sort.

    Names and help are shown literally: names as `Content`, help (markup only) escaped.
    """

    def _commands(self) -> Iterator[Command]:
        screen, seen = self.screen, set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.id in seen or not active.enabled:
                continue  # hidden ones (cursor keys, a second quit) are no commands
            seen.add(binding.id)
            run = partial(self.app.run_action, binding.action, active.node)
            key = self.app.get_key_display(binding)
            yield safe(binding.description), key, binding.tooltip, run
        if isinstance(screen, MainScreen):
            for column in COLUMNS:
                for reverse, order in enumerate(column.order):
                    action = f"sort_by('{column.key}', {bool(reverse)})"
                    run = partial(self.app.run_action, action, screen)
                    name = f"Sort by {column.title.lower()}: {order}"
                    yield name, "", f"{'▼' if reverse else '▲'} on the column's title", run

    async def discover(self) -> Hits:
        for name, key, help_text, run in self._commands():
            yield DiscoveryHit(
                _named(Content(name), key), run, text=name, help=as_markup(help_text)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, help_text, run in self._commands():
            if (score := matcher.match(name)) > 0:
                shown = _named(_highlight(matcher, name), key)
                yield Hit(score, shown, run, text=name, help=as_markup(help_text))


def _named(name: Content, key: str) -> Content:
    """A command's name with its key after it, dimmed: "Thresholds  t"."""
    return Content.assemble(name, ("  " + key, "dim")) if key else name


def _highlight(matcher: Matcher, name: str) -> Content:
    """`name` with the query's letters marked, read as plain text (`Matcher.highlight` would
    read it as markup)."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class FloorwatchApp(App[None]):
    """Start with `FloorwatchApp(service, SystemClock()).run()`.

    `feed_status` tells how current the feed is (the link knows when it reconnects); without
    it, the status comes from the engine's read model.
    """

    CSS_PATH = "app.tcss"
    TITLE = "Floorwatch"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {FloorCommands}
    """Only Floorwatch's own actions: none of Textual's system commands (theme, screenshot)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", id="help",
                tooltip="The keys of this screen, and what its figures and colours mean"),
        Binding("f1", "help", "Help", show=False, id="help-f1",
                tooltip="Help, also where ? would be typed into a field"),
        Binding("q", "quit", "Quit", id="quit",
                tooltip="Quit (asks first while unassigns are in flight)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-now",
                tooltip="Quit (asks first while unassigns are in flight)"),
        Binding("D", "dashboards", "Dashboards", id="dashboards",
                tooltip="On a team floor: its dashboards, which one acts, when each was seen"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True,
                id="command-palette", tooltip="Every action of this screen with its key, "
                "found by typing part of its name"),
    ]  # fmt: skip

    def __init__(
        self,
        service: FloorService,
        clock: Clock,
        *,
        feed_status: Callable[[], FeedStatus] | None = None,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        """`keymap`: keys by binding id (the `keymap` setting, its ids checked already)."""
        super().__init__()
        self._main = MainScreen(service, clock, feed_status or self._engine_feed_status)
        self._service = service
        self._clock = clock
        self._keymap_setting = with_partners(keymap or {})

    def on_mount(self) -> None:
        if self._keymap_setting:
            self.set_keymap(self._keymap_setting)

    def _engine_feed_status(self) -> FeedStatus:
        return feed_status(self._service.read.feed())

    def get_default_screen(self) -> Screen[None]:
        return self._main

    def action_help(self) -> None:
        screen = self.screen
        topics = screen.help_topics() if isinstance(screen, MainScreen) else ()
        self.push_screen(HelpScreen(screen.active_bindings.values(), topics))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The dashboards' list only on a team floor."""
        if action == "dashboards":
            return self._service.role is not None
        return super().check_action(action, parameters)

    def action_dashboards(self) -> None:
        service = self._service
        self.push_screen(DashboardsScreen(lambda: service.dashboards))

    async def action_quit(self) -> None:
        """Quit at once, unless unassigns are in flight: then ask."""
        busy = self._main.unassigns_in_flight()
        if not busy:
            self.exit()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        question = f"{busy} unassign(s) still in flight. Quit anyway?"
        self.push_screen(ConfirmModal(question, yes="Quit"), answer)
