"""Which audit events become toasts: calm notices.

Toasts are for the supervisor's own actions and for failures. Automatic unassigns are counted
in the data bar and listed in the event log, never toasted: a busy floor makes many of them
and none needs the supervisor's eyes. A batch makes at most `MAX_TOASTS` toasts (more are
counted in one toast per kind), and they replace the toasts shown before: what a toast said is
in the event log too, and only the newest fit over the events panel, never over the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.notifications import SeverityLevel

from engine.core.audit import AuditEvent, AuditType
from engine.core.model import Reason
from tui.identity import Names, labeled, no_names
from tui.text import safe

MAX_TOASTS = 3
"""In one batch; more become one toast per kind that counts them."""
KINDS: tuple[tuple[AuditType, str, SeverityLevel], ...] = (
    (AuditType.UNASSIGN_CONFIRMED, "Unassigned", "information"),
    (AuditType.UNASSIGN_FAILED, "Unassign failed", "error"),
)


@dataclass(frozen=True, slots=True)
class Notice:
    text: str
    """Plain text (never markup), untrusted parts cleaned."""
    title: str
    severity: SeverityLevel


def toasted(event: AuditEvent) -> bool:
    """Failures always; a confirmation only of a supervisor's own unassign."""
    if event.type is AuditType.UNASSIGN_FAILED:
        return True
    return event.type is AuditType.UNASSIGN_CONFIRMED and event.reason is Reason.MANUAL


def notices(batch: Iterable[AuditEvent], names: Names = no_names) -> list[Notice]:
    """The toasts a batch of audit events makes; agents shown as `Dev (a04)`."""
    events = [e for e in batch if toasted(e)]
    if len(events) <= MAX_TOASTS:
        return [_notice(e, names) for e in events]
    found: list[Notice] = []
    for kind, title, severity in KINDS:
        count = sum(1 for e in events if e.type is kind)
        if count:
            found.append(Notice(f"{count} conversations", title, severity))
    return found


def _notice(event: AuditEvent, names: Names) -> Notice:
    _, title, severity = next(k for k in KINDS if k[0] is event.type)
    text = f"{safe(event.conv)} from {safe(labeled(event.agent, names))} ({event.reason})"
    if event.detail:
        text += f": {safe(event.detail)}"
    return Notice(text, title, severity)
