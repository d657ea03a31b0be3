"""The detail view's text: how a conversation's deadline was worked out, its state history
and its audit events, as lines of plain text (cleaned; the screen draws them literally).

Every figure comes from the read model's `ConversationDetail`; this only puts it in words.
"""

from __future__ import annotations

from engine.core.audit import ENGINE, AuditEvent
from engine.core.detail import ConversationDetail, DeadlineBasis, Hold, Source
from engine.core.model import Status
from engine.core.timeline import History, Moment, Step
from tui.clock import duration, wall_time
from tui.identity import Names, agent_label, labeled
from tui.text import safe
from tui.widgets.columns import state_label

STATUS_WORDS = {
    Status.WATCHING: "watching: unassigned when the deadline passes on fresh data",
    Status.EXTENDED: "extended: watching, with the extension added",
    Status.HELD: "held: never unassigned while the hold lasts",
    Status.OFF: "the threshold in force is off: never unassigned automatically",
    Status.NO_PRESENCE: "the agent's presence is not known yet: no deadline until it is",
    Status.UNASSIGNING: "an unassign is under way, waiting for the feed to confirm it",
    Status.FAILED: "the unassign failed and is retried",
    Status.WOULD_UNASSIGN: "dry run: decided and recorded, not sent",
    Status.NOT_SENT: "decided while dry run was on, never sent: unassign it now to act",
}


def heading(conv_id: str, detail: ConversationDetail | None) -> str:
    if detail is None:
        return f"{safe(conv_id)} · closed (or no longer on the floor)"
    parts = [safe(conv_id), f"skill {safe(detail.skill)}" if detail.skill else "no skill"]
    parts.append(f"consumer {safe(detail.consumer)}" if detail.consumer else "consumer unknown")
    return " · ".join(parts)


def agent_lines(detail: ConversationDetail, now: float) -> list[str]:
    if detail.agent is None:
        return ["Agent: none (in the queue)"]
    label = safe(agent_label(detail.agent, detail.agent_name))
    state = "presence unknown"
    if detail.agent_state is not None:
        state = state_label(detail.agent_state)
        if detail.agent_since is not None:
            state += f" for {duration(now - detail.agent_since)}"
    lines = [f"Agent: {label}{' (bot)' if detail.bot else ''}, {state}"]
    if detail.assigned_at is not None:
        lines.append(f"Assigned at {_when(detail.assigned_at, now)}")
    return lines


def deadline_lines(detail: ConversationDetail, now: float) -> list[str]:
    """The wait and how its deadline was worked out, then where the engine stands on it."""
    basis = detail.basis
    if basis is None:
        reason = "no agent" if detail.agent is None else "the agent answered the last message"
        return [f"Not waiting: {reason}, so no deadline"]
    lines = [f"Waiting since {_when(basis.waiting_since, now)}"]
    lines.append(_threshold(basis, detail.skill))
    if basis.extension > 0:
        lines.append(f"Extended by {duration(basis.extension)} (a supervisor's extension)")
    if basis.due_at is not None:
        left = basis.due_at - now
        when = f"in {duration(left)}" if left >= 0 else f"{duration(-left)} overdue"
        lines.append(f"Due at {wall_time(basis.due_at)} ({when})")
    lines += _holds(basis)
    view = detail.view
    if view is not None:
        status = STATUS_WORDS.get(view.status, str(view.status))
        lines.append(f"Status: {status}")
        if view.last_error:
            lines.append(f"Last error: {safe(view.last_error)}")
    return lines


def history_lines(history: History, names: Names) -> list[str]:
    lines = [f"{wall_time(step.at)}  {_step(step, names)}" for step in reversed(history.steps)]
    if history.dropped:
        lines.append(f"… {history.dropped} earlier steps")
    return lines or ["nothing recorded yet"]


def event_line(event: AuditEvent, names: Names) -> str:
    """One audit event on one line, every field, the detail whole."""
    parts = [wall_time(event.at), str(event.type)]
    if event.agent is not None:
        parts.append(safe(labeled(event.agent, names)))
    if event.reason is not None:
        parts.append(str(event.reason))
    if event.by != ENGINE:
        parts.append(f"by {safe(event.by)}")
    line = " ".join(parts)
    return f"{line}: {safe(event.detail)}" if event.detail else line


def _threshold(basis: DeadlineBasis, skill: str | None) -> str:
    if basis.reason is None:
        return "Threshold: none until the agent's presence is known"
    if basis.source is Source.SUPERVISOR:
        return "Threshold: none, a supervisor asked to unassign it now"
    where = f"skill {safe(skill)}'s override" if basis.source is Source.SKILL else "the default"
    if basis.threshold is None:
        return f"Threshold: {basis.reason} is off (from {where})"
    return f"Threshold: {basis.reason} {duration(basis.threshold)} (from {where})"


def _holds(basis: DeadlineBasis) -> list[str]:
    lines = []
    for what, hold in (("Held", basis.conversation_hold), ("Agent held", basis.agent_hold)):
        if hold is not None:
            lines.append(f"{what} {_until(hold)}")
    return lines


def _until(hold: Hold) -> str:
    return "until released" if hold.until is None else f"until {wall_time(hold.until)}"


def _step(step: Step, names: Names) -> str:
    who = safe(labeled(step.subject, names)) if step.subject is not None else None
    match step.moment:
        case Moment.OPENED:
            return f"opened, assigned to {who}" if who else "opened, in the queue"
        case Moment.ASSIGNED:
            return f"assigned to {who}"
        case Moment.SKILL:
            return f"skill changed to {safe(step.subject)}"
        case _:
            return str(step.moment)


def _when(at: float, now: float) -> str:
    return f"{wall_time(at)} ({duration(now - at)} ago)"
