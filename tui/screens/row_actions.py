"""The commands on the selected row: each carries the row as the supervisor saw it (`Seen`),
taken when the key was pressed or the question opened, so the engine refuses one whose row
has changed since ("c7 is now with a2; nothing was done") instead of acting on another."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from engine.core import (
    Command,
    Extend,
    GiveBack,
    Hold,
    HoldAgent,
    Release,
    ReleaseAgent,
    Seen,
    UnassignNow,
)
from engine.core.model import AgentId, ConvId
from engine.core.ports import Clock
from engine.core.views import ConversationView
from engine.service import FloorService
from tui.clock import duration
from tui.identity import agent_label, labeled
from tui.screens.confirm import ConfirmModal
from tui.screens.prompt import NumberPrompt
from tui.text import safe
from tui.widgets.conversation_table import ConversationTable

ROW_ACTIONS = frozenset(
    {"unassign_now", "hold", "hold_for", "extend", "release", "detail", "give_back"}
)
LISTED = 5
"""Conversations a question names before it says "and N more"."""
AGENT_ACTIONS = frozenset({"hold_agent", "release_agent"})


def seen(view: ConversationView) -> Seen:
    """What the row shows that a command depends on: conversation, agent and wait."""
    return Seen(view.conv_id, view.agent, view.wait_key)


class RowActions(Screen[None]):
    """Unassign now, hold, hold for, extend, release, hold or release the row's agent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "unassign_now", "Unassign", id="unassign-now",
                tooltip="Unassign the selected conversation now (asks first)"),
        Binding("h", "hold", "Hold", id="hold",
                tooltip="Hold the selected conversation until released"),
        Binding("H", "hold_for", "Hold for…", id="hold-for",
                tooltip="Hold the selected conversation for a number of minutes"),
        Binding("e", "extend", "Extend", id="extend",
                tooltip="Add seconds to the selected conversation's deadline"),
        Binding("r", "release", "Release", id="release",
                tooltip="Clear the selected conversation's hold and extension"),
        Binding("a", "hold_agent", "Hold agent", id="hold-agent",
                tooltip="Hold every conversation of the selected row's agent"),
        Binding("a", "release_agent", "Release agent", id="release-agent",
                tooltip="Release the hold on the selected row's agent"),
        Binding("g", "give_back", "Give back", id="give-back", show=False,
                tooltip="Give the selected conversation back to the agent Floorwatch took it"
                        " from (asks first)"),
    ]  # fmt: skip

    def __init__(self, service: FloorService, clock: Clock) -> None:
        super().__init__()
        self._service = service
        self._read = service.read
        self._clock = clock
        self._held_agents: frozenset[AgentId] = frozenset()

    @property
    def table(self) -> ConversationTable:
        raise NotImplementedError

    def after_command(self) -> None:
        """What the screen refreshes once a command was carried out or refused."""

    def _send(self, command: Command) -> None:
        """Send one command through the service; a refusal becomes an error toast."""
        refused = self._service.execute(command, self._clock.now())
        if refused is not None:
            self.notify(safe(refused.reason), title="Not done", severity="error", markup=False)
        self.after_command()

    @property
    def _by(self) -> str:
        return self._service.supervisor

    def _shown(self) -> ConversationView | None:
        """The selected row as shown; None (and why) when there is none to act on."""
        view = self.table.cursor
        if view is not None and self.table.cursor_gone:
            text = f"{safe(view.conv_id)} has left the table; nothing was done"
            self.notify(text, title="Not done", severity="error", markup=False)
            return None
        return view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.table.cursor
        if action in ROW_ACTIONS:
            return True if view is not None else None
        if action in AGENT_ACTIONS:
            if view is None or view.agent is None:
                return None if action == "hold_agent" else False
            held = view.agent in self._held_agents
            return held if action == "release_agent" else not held
        return True

    def action_unassign_now(self) -> None:
        view = self._shown()
        if view is None:
            return
        what = seen(view)
        who = safe(agent_label(view.agent, view.agent_name))
        question = f"Unassign {safe(view.conv_id)} from {who} now? It goes back to the queue."
        if self._read.dry_run:
            question += "\nDry run is on: it is recorded, not sent."

        def answer(yes: bool | None) -> None:
            if yes:
                self._send(UnassignNow(conv=what.conv, by=self._by, seen=what))

        self.app.push_screen(ConfirmModal(question, yes="Unassign"), answer)

    def action_give_back(self) -> None:
        view = self._shown()
        if view is not None:
            self.give_back(view.conv_id, view.agent, seen(view))

    def give_back(self, conv_id: ConvId, holder: AgentId | None, what: Seen | None) -> None:
        """Ask, then give the conversation back to the agent it was taken from (from a row, or
        from the queue view); the engine refuses, and says why, when it cannot."""
        command = GiveBack(conv=conv_id, by=self._by, seen=what)
        taken = self._read.taken_from(conv_id)
        if taken is None:
            self._send(command)
            return
        names = self._read.agent_name
        question = (
            f"Give {safe(conv_id)} back to {safe(labeled(taken, names))}, the agent Floorwatch"
            " took it from?\nIt is offered to them, and theirs once they accept."
        )
        if holder is not None and holder != taken:
            question += f"\n{safe(labeled(holder, names))} is removed from it first."

        def answer(yes: bool | None) -> None:
            if yes:
                self._send(command)

        self.app.push_screen(ConfirmModal(question, yes="Give back"), answer)

    def action_hold(self) -> None:
        view = self._shown()
        if view is not None:
            self._send(Hold(conv=view.conv_id, by=self._by, seen=seen(view)))

    def action_hold_for(self) -> None:
        view = self._shown()
        if view is None:
            return
        what = seen(view)

        def answer(minutes: float | None) -> None:
            if minutes is not None:
                until = self._clock.now() + minutes * 60
                self._send(Hold(conv=what.conv, until=until, by=self._by, seen=what))

        who = safe(agent_label(view.agent, view.agent_name))
        question = f"Hold {safe(what.conv)} ({who}) for how many minutes?"
        self.app.push_screen(NumberPrompt(question, 15), answer)

    def action_extend(self) -> None:
        view = self._shown()
        if view is None:
            return
        what = seen(view)

        def answer(seconds: float | None) -> None:
            if seconds is not None:
                self._send(Extend(conv=what.conv, seconds=seconds, by=self._by, seen=what))

        who = safe(agent_label(view.agent, view.agent_name))
        question = f"Extend {safe(what.conv)}'s deadline ({who}) by how many seconds?"
        self.app.push_screen(NumberPrompt(question, 60), answer)

    def action_release(self) -> None:
        """Release at once, unless that unassigns the conversation now: then ask."""
        view = self._shown()
        if view is None:
            return
        what = seen(view)
        command = Release(conv=what.conv, by=self._by, seen=what)
        late = self._service.preview.release(what.conv, self._clock.now())
        if late is None:
            self._send(command)
            return
        question = f"{safe(what.conv)} is {_late(late)} past its deadline and {self._fate} now."
        self._confirm(question + "\nRelease it?", command)

    def action_hold_agent(self) -> None:
        view = self._shown()
        if view is not None and view.agent is not None:
            self.hold_agent(view.agent, seen(view))

    def hold_agent(self, agent: AgentId, what: Seen | None) -> None:
        """Hold the agent: from a row (`what`: the row as seen) or from the agents view."""
        self._send(HoldAgent(agent=agent, by=self._by, seen=what))

    def action_release_agent(self) -> None:
        view = self.table.cursor
        if view is not None and view.agent is not None:
            self.release_agent(view.agent)

    def release_agent(self, agent: AgentId) -> None:
        """Release the agent at once, unless that unassigns some conversations now: then ask
        (the question names what was late when it opened)."""
        command = ReleaseAgent(agent=agent, by=self._by)
        late = self._service.preview.release_agent(agent, self._clock.now())
        if not late:
            self._send(command)
            return
        listed = [f"{safe(conv)} ({_late(seconds)} late)" for conv, seconds in late.items()]
        shown = ", ".join(listed[:LISTED]) + (
            f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""
        )
        who = safe(labeled(agent, self._read.agent_name))
        question = (
            f"{len(late)} of {who}'s conversations are past their deadline and "
            f"{self._fate} now: {shown}.\nRelease {who}?"
        )
        self._confirm(question, command)

    @property
    def _fate(self) -> str:
        """What happens to a conversation due now, in the words of a question."""
        if self._read.dry_run:
            return "would be unassigned (dry run: recorded, not sent)"
        return "will be unassigned"

    def _confirm(self, question: str, command: Command) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self._send(command)

        self.app.push_screen(ConfirmModal(question, yes="Release"), answer)


def _late(seconds: float) -> str:
    """How late: "15 s", or "2:05" (minutes) from two minutes on."""
    return f"{seconds:.0f} s" if seconds < 120 else duration(seconds)
