"""The Floorwatch app: the supervisor's view of the floor, driving a `FloorService`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
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
from tui.screens.confirm import ConfirmModal
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.summary import feed_status
from tui.text import as_markup, safe
from tui.widgets.columns import COLUMNS

__all__ = ["FloorwatchApp"]

Command = tuple[str, str, Callable[[], Awaitable[object]]]


class FloorCommands(Provider):
    """The command palette offers what the keys do, plus a sort by each column.

    Names and help are shown literally: names as `Content`, help (markup only) escaped.
    """

    def _commands(self) -> Iterator[Command]:
        screen, seen = self.screen, set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.id is None or binding.id in seen or not active.enabled:
                continue
            seen.add(binding.id)
            run = partial(self.app.run_action, binding.action, active.node)
            yield safe(binding.description), binding.tooltip, run
        if isinstance(screen, MainScreen):
            for column in COLUMNS:
                run = partial(self.app.run_action, f"sort_by('{column.key}')", screen)
                yield f"Sort by {column.title.lower()}", "Least first", run

    async def discover(self) -> Hits:
        for name, help_text, run in self._commands():
            yield DiscoveryHit(Content(name), run, text=name, help=as_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(
                    score, _highlight(matcher, name), run, text=name, help=as_markup(help_text)
                )


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
    COMMANDS = App.COMMANDS | {FloorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", id="help",
                tooltip="List the keys of this screen"),
        Binding("q", "quit", "Quit", id="quit",
                tooltip="Quit (asks first while unassigns are in flight)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-now",
                tooltip="Quit (asks first while unassigns are in flight)"),
    ]  # fmt: skip

    def __init__(
        self,
        service: FloorService,
        clock: Clock,
        *,
        feed_status: Callable[[], FeedStatus] | None = None,
    ) -> None:
        super().__init__()
        self._main = MainScreen(service, clock, feed_status or self._engine_feed_status)
        self._service = service
        self._clock = clock

    def _engine_feed_status(self) -> FeedStatus:
        return feed_status(self._service.read.feed())

    def get_default_screen(self) -> Screen[None]:
        return self._main

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.screen.active_bindings.values()))

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
