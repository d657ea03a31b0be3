"""An action of the engine as the request that carries it out: an unassign (REMOVE, with a
Skill UPDATE for a fallback skill) or a transfer to an agent (REMOVE when held, SUGGEST). Agents
go by their legacy ids; one the feed has named only by PID fails the action, with why."""

from __future__ import annotations

from engine.core import Action, ActionFailed, TransferToAgent
from engine.link.output import SessionOutput
from engine.link.pending import PendingRequests
from engine.link.translate import FeedTranslator

PID_ONLY = "the feed has named agent {agent} only by PID, not by user id"


def action_request(
    action: Action, translator: FeedTranslator, requests: PendingRequests, brand_id: str
) -> SessionOutput:
    """The request's frame, or the action's failure."""
    agent = translator.legacy_id(action.agent, brand_id)
    if agent is None:
        return SessionOutput(events=(ActionFailed(action, PID_ONLY.format(agent=action.agent)),))
    conv_id = translator.wire_id(action.conv_id)
    if not isinstance(action, TransferToAgent):
        return SessionOutput(writes=(requests.unassign(conv_id, agent, action),))
    holder = None if action.holder is None else translator.legacy_id(action.holder, brand_id)
    if action.holder is not None and holder is None:
        return SessionOutput(events=(ActionFailed(action, PID_ONLY.format(agent=action.holder)),))
    return SessionOutput(writes=(requests.transfer(conv_id, agent, holder, action),))
