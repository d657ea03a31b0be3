"""Give it back: after an unassign, a supervisor may give the conversation back to the agent it
was taken from (a transfer to agent: SUGGEST, after a REMOVE when another agent holds it by
then). Refused, with the reason, when nothing was taken, the agent is Offline (or not known),
at capacity or has it already, or an unassign or a give-back is under way. The agent takes it
when they accept: the feed shows them ACTIVE on it (`give_back.accepted`); if it goes
anywhere else, or the platform refuses, `give_back.failed` says so.
"""

from __future__ import annotations

from engine.core.actions import TransferToAgent
from engine.core.audit import AuditType
from engine.core.commands import GiveBack
from engine.core.effects import EffectsBuffer
from engine.core.events import ActionFailed, ActionSucceeded
from engine.core.floor import Floor
from engine.core.inflight import InFlight
from engine.core.model import AgentId, AgentState, ConvId
from engine.core.supervision import changed_since_seen


class GiveBacks:
    def __init__(self) -> None:
        self._taken: dict[ConvId, AgentId] = {}
        """Per open conversation: the agent the latest confirmed unassign took it from."""
        self._under_way: dict[ConvId, TransferToAgent] = {}

    def taken_from(self, conv_id: ConvId) -> AgentId | None:
        return self._taken.get(conv_id)

    def unassigned(self, conv_id: ConvId, agent: AgentId | None) -> None:
        """The latest confirmed unassign took the conversation from `agent` (None: it was
        given back to them since)."""
        if agent is None:
            self._taken.pop(conv_id, None)
        else:
            self._taken[conv_id] = agent

    def forget(self, conv_id: ConvId) -> None:
        self._taken.pop(conv_id, None)
        self._under_way.pop(conv_id, None)

    def execute(
        self,
        command: GiveBack,
        now: float,
        floor: Floor,
        inflight: InFlight,
        effects: EffectsBuffer,
    ) -> str | None:
        """Carry out the command, or say why not."""
        why = self.refusal(command, floor, inflight)
        if why is not None:
            return why
        conv = floor.get(command.conv)
        agent = self._taken[command.conv]
        assert conv is not None
        action = TransferToAgent(command.conv, agent, conv.agent, now, command.by)
        holder = f"from {_named(floor, conv.agent)}" if conv.agent else "from the queue"
        detail = f"to {_named(floor, agent)} {holder}"
        conv_id, by = command.conv, command.by
        effects.note(
            AuditType.OVERRIDE_GIVE_BACK, now, conv=conv_id, agent=agent, by=by, detail=detail
        )
        self._under_way[command.conv] = action
        effects.act(action)
        return None

    def refusal(self, command: GiveBack, floor: Floor, inflight: InFlight) -> str | None:
        conv_id = command.conv
        changed = changed_since_seen(command, floor)
        if changed is not None:
            return f"{changed}; nothing was done"
        conv = floor.get(conv_id)
        if conv is None:
            return f"give back {conv_id}: the conversation is not open (unknown or closed)"
        agent_id = self._taken.get(conv_id)
        if agent_id is None:
            return f"give back {conv_id}: Floorwatch has not unassigned it: nothing to give back"
        name = _named(floor, agent_id)
        if conv_id in self._under_way:
            return f"give back {conv_id}: it is being given back to {name} already"
        under_way = inflight.get(conv_id)
        if under_way is not None and not under_way.raced:
            return f"give back {conv_id}: an unassign is under way"
        if conv.agent == agent_id:
            return f"give back {conv_id}: {name} has it already"
        agent = floor.agent(agent_id)
        if agent is None or agent.state is AgentState.OFFLINE:
            state = "Offline" if agent is not None else "not known to be online"
            return f"give back {conv_id}: {name} is {state}"
        open_count, most = floor.open_count(agent_id), agent.max_conversations
        if most is not None and open_count >= most:
            return f"give back {conv_id}: {name} is at capacity ({open_count} of {most})"
        return None

    def result(
        self, event: ActionSucceeded | ActionFailed, now: float, effects: EffectsBuffer
    ) -> None:
        """The platform's answer to a give-back."""
        action = event.action
        assert isinstance(action, TransferToAgent)
        if self._under_way.get(action.conv_id) != action:
            return
        if isinstance(event, ActionFailed):
            del self._under_way[action.conv_id]
            kind, detail = AuditType.GIVE_BACK_FAILED, event.error
        else:
            kind, detail = AuditType.GIVE_BACK_SENT, "offered (SUGGESTED)"
        effects.note(
            kind, now, conv=action.conv_id, agent=action.agent, by=action.by, detail=detail
        )

    def reassigned(
        self, conv_id: ConvId, agent: AgentId | None, now: float, effects: EffectsBuffer
    ) -> None:
        """The feed shows the conversation with `agent` (None: in the queue, or offered)."""
        action = self._under_way.get(conv_id)
        if action is None or agent is None:
            return
        del self._under_way[conv_id]
        if agent == action.agent:
            self._taken.pop(conv_id, None)
            kind, detail = AuditType.GIVE_BACK_ACCEPTED, "SUGGESTED -> ACTIVE"
        else:
            kind, detail = AuditType.GIVE_BACK_FAILED, f"it went to {agent} instead"
        effects.note(kind, now, conv=conv_id, agent=action.agent, by=action.by, detail=detail)


def _named(floor: Floor, agent_id: AgentId | None) -> str:
    agent = floor.agent(agent_id)
    if agent is None or agent.name == agent.agent_id:
        return str(agent_id)
    return f"{agent.name} ({agent.agent_id})"
