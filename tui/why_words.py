"""The engine's answer to "why not yet?" (`engine.core.why.WhyNot`) in one line of words:
`held by Sam until 14:05:00`, `due in 0:42 (away threshold 1:30 from skill billing)`,
`due, waiting for fresh data: reconnecting`. The facts are the engine's; this only words them.
"""

from __future__ import annotations

from engine.core.detail import Source
from engine.core.model import Reason
from engine.core.why import HeldBy, Unwatched, Why, WhyNot
from tui.clock import duration, wall_time
from tui.identity import Names, labeled
from tui.text import safe

UNWATCHED = {
    Unwatched.CLOSED: "not watched: closed, or not on the floor",
    Unwatched.QUEUED: "not watched: in the queue, no agent holds it",
    Unwatched.BOT: "not watched: a bot holds it",
    Unwatched.NOT_WAITING: "not watched: the agent answered the last message",
}


def why_line(answer: WhyNot, now: float, names: Names) -> str:
    """One line: why the conversation has not been unassigned yet."""
    match answer.why:
        case Why.UNWATCHED:
            return UNWATCHED[answer.unwatched or Unwatched.CLOSED]
        case Why.HELD:
            assert answer.hold is not None
            return _held(answer.hold, names)
        case Why.COUNTING:
            left = (answer.due_at or now) - now
            return f"due in {duration(left)} ({_threshold(answer)}){_grace(answer)}"
        case Why.STALE:
            return f"due, waiting for fresh data: {safe(answer.stale) or 'the feed is stale'}"
        case Why.BARRIER:
            return "due, waiting for a keep-alive round trip to prove the data current"
        case Why.OFF:
            return f"never automatically: {_threshold(answer)}"
        case Why.NO_PRESENCE:
            return "no deadline: the agent's presence is not known yet"
        case Why.UNDER_WAY:
            return "being unassigned: sent, waiting for the feed to show the agent gone"
        case Why.RETRYING:
            error = f" ({safe(answer.error)})" if answer.error else ""
            retry = wall_time(answer.retry_at) if answer.retry_at is not None else "soon"
            return f"the unassign failed{error}; tried again at {retry}"
        case Why.DECIDED:
            if answer.dry_run:
                return "dry run: decided and recorded, not sent"
            return "decided while dry run was on, never sent: unassign it now to act"


def _held(hold: HeldBy, names: Names) -> str:
    whose = f"agent {safe(labeled(hold.agent, names))} " if hold.agent is not None else ""
    by = f" by {safe(hold.by)}" if hold.by else ""
    until = "until released" if hold.until is None else f"until {wall_time(hold.until)}"
    return f"{whose}held{by} {until}"


def _threshold(answer: WhyNot) -> str:
    if answer.reason is Reason.MANUAL or answer.source is Source.SUPERVISOR:
        return "a supervisor asked to unassign it now"
    where = (
        f" from skill {safe(answer.skill)}" if answer.source is Source.SKILL else ", the default"
    )
    seconds = "off" if answer.threshold is None else _seconds(answer.threshold)
    return f"{answer.reason} threshold {seconds}{where}"


def _seconds(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 120 else duration(seconds)


def _grace(answer: WhyNot) -> str:
    grace = answer.grace
    if grace is None or grace.pending is None or grace.switch_at is None:
        return ""
    return (
        f"; {grace.pending} within its grace, {grace.reason} applies"
        f" until {wall_time(grace.switch_at)}"
    )
