"""Committing the audit, and what happens when the data file cannot take it.

`AuditSaver` stands between the pump and the store. While the store takes every write, a
batch is committed and then the listeners hear it, in order. When a write fails for a lost
data file (`DataFileLostError`) or a full disk (`DiskFullError`), the saver keeps the batch,
and every later one, in memory and in order (`unsaved`), remembers the overrides and the
policy it could not save, and says why (`problem`): the service then acts no more. The
listeners hear nothing while there is a problem; once the events are written (`retry` on
the same file, `save_to` a new one), they hear every kept event, in the order it happened,
and acting resumes. Nothing is ever dropped, with one exception on a team floor's shared
store (`shared`): a decision the store refused (`LeaseLostError`: this engine no longer holds
the floor's lease) or could not take (the database out of reach) was never sent and is not
written later, under a lease that may be another engine's by then; the rest of its batch
is. A refusal for the lease is no storage problem: `take_lease_lost()` says why, once; and
`take_unrecorded()` names the decisions not recorded, for the engine to withdraw (so that it
decides those waits again once it acts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from engine.core.audit import AuditEvent, AuditType
from engine.core.overrides import Overrides
from engine.core.policy import Policy
from engine.store.changes import OverridesChange, diff
from engine.store.errors import LeaseLostError, StorageFaultError, StoreError
from engine.store.store import Store

AuditListener = Callable[[AuditEvent], None]


class Persistence(Protocol):
    """What the service needs from the store (engine.store.Store provides it)."""

    @property
    def location(self) -> str: ...

    def append(self, events: Sequence[AuditEvent]) -> None: ...

    def save_policy(self, policy: Policy) -> None: ...

    def save_overrides(self, overrides: Overrides) -> None: ...

    def load_overrides(self) -> Overrides: ...

    def commit_command(self, events: Sequence[AuditEvent], change: OverridesChange) -> None: ...

    def verify(self) -> None: ...

    def history(self) -> list[AuditEvent]: ...

    def audit_of(self, conv: str, limit: int) -> list[AuditEvent]: ...

    def close(self) -> None: ...


Opener = Callable[[Path], Persistence]


class AuditSaver:
    def __init__(
        self, store: Persistence | None, opener: Opener = Store.open, *, shared: bool = False
    ) -> None:
        """`shared`: the store is a team floor's (a refused decision is not written later)."""
        self._store = store
        self._shared = shared
        self._lease_lost: str | None = None
        self._unrecorded: list[tuple[str, str]] = []
        """(conversation, key) of the decisions a shared store refused or could not take."""
        self._opener = opener
        self._opened: Persistence | None = None
        """A store this saver opened itself (`save_to`): it closes it."""
        self.listeners: list[AuditListener] = []
        self._unsaved: list[AuditEvent] = []
        self._problem: str | None = None
        self._policy: Policy | None = None
        self._overrides: Overrides | None = None
        self._history: list[AuditEvent] | None = None
        """The old file's history, read once by `save_to` (the old file may be closed)."""
        self._saved = store.load_overrides() if store is not None else None
        """The overrides as the store held them when the engine was restored from it, then
        as this saver last wrote them: only what changed since is written, so the commands
        of another dashboard on a shared store are never undone."""

    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def idle(self) -> bool:
        """Whether committing an empty batch would write nothing (no policy or overrides
        waiting to be saved)."""
        return self._policy is None and self._overrides is None

    def unsaved(self) -> list[AuditEvent]:
        return list(self._unsaved)

    def events_of(self, conv: str, limit: int) -> list[AuditEvent]:
        """One conversation's newest `limit` events: those stored, then those kept unsaved
        (without a data file, or one that can no longer be read: the kept ones only)."""
        stored: list[AuditEvent] = []
        if self._store is not None:
            try:
                stored = self._store.audit_of(conv, limit)
            except StoreError:
                stored = []
        kept = [event for event in self._unsaved if event.conv == conv]
        return (stored + kept)[-limit:]

    def commit(
        self, events: Sequence[AuditEvent], overrides: Overrides | None, *, acting: bool
    ) -> bool:
        """Store `events` (and `overrides`), then tell the listeners. True when the service
        may act: everything is committed and, when `acting` (unassigns follow) but nothing
        was written, the store proved it still holds its file."""
        if overrides is not None:
            self._overrides = overrides
        if self._problem is not None:
            self._keep(events)
            return False
        store = self._store
        try:
            self._write(store, events)
        except LeaseLostError as e:
            if not self._shared:
                raise
            return self._without_decisions(store, events, str(e))
        except StorageFaultError as e:
            self._problem = str(e)
            self._keep(events)
            return False
        self._tell(events)
        try:
            self._save_settings(store)
            if acting and not events and store is not None:
                store.verify()
        except StorageFaultError as e:
            self._problem = str(e)
            return False
        return True

    def take_lease_lost(self) -> str | None:
        """Why the last batch's decisions were refused for the lease (once; None: they
        were not)."""
        lost, self._lease_lost = self._lease_lost, None
        return lost

    def take_unrecorded(self) -> list[tuple[str, str]]:
        """(conversation, key) of each decision refused since last asked, never to be
        written (a shared store's only; once)."""
        unrecorded, self._unrecorded = self._unrecorded, []
        return unrecorded

    def _keep(self, events: Sequence[AuditEvent]) -> None:
        """Keep `events` to write later; a shared store's decisions are not kept."""
        if self._shared:
            self._unrecorded += _decisions(events)
            events = _undecided(events)
        self._unsaved.extend(events)

    def _write(self, store: Persistence | None, events: Sequence[AuditEvent]) -> None:
        if store is not None and self._overrides is not None:
            self._commit_overrides(store, events, self._overrides)
        elif store is not None and events:
            store.append(events)

    def _without_decisions(
        self, store: Persistence | None, events: Sequence[AuditEvent], why: str
    ) -> bool:
        """The lease was lost: the batch again without its decisions (never sent); False."""
        self._lease_lost = why
        self._unrecorded += _decisions(events)
        kept = _undecided(events)
        try:
            self._write(store, kept)
        except StorageFaultError as e:
            self._problem = str(e)
            self._unsaved.extend(kept)
            return False
        self._tell(kept)
        return False

    def save_policy(self, policy: Policy) -> None:
        self._policy = policy
        if self._problem is None:
            try:
                self._save_settings(self._store)
            except StorageFaultError as e:
                self._problem = str(e)

    def took_up(self, overrides: Overrides) -> None:
        """The engine took up `overrides` from the store (a team floor's shared ones)."""
        self._saved = overrides

    def retry(self) -> None:
        """Write what is kept to the same store again (e.g. after space was freed); raises
        its `StoreError` if it still cannot."""
        store = self._store
        if self._problem is None or store is None:
            return
        try:
            store.append(self._unsaved)
        except StorageFaultError as e:
            self._problem = str(e)
            raise
        self._recovered()
        try:
            self._save_settings(store)
        except StorageFaultError as e:
            self._problem = str(e)
            raise

    def save_to(self, path: Path, policy: Policy, overrides: Overrides) -> None:
        """Open a new data file at `path` and write into it the history the old one still
        shows (its committed events, readable even when it was deleted), every kept event,
        the policy and the overrides; it becomes the data file. Raises `StoreError` (the
        old store stays as it was) if it cannot."""
        old = self._store
        if self._history is None:
            self._history = old.history() if old is not None else []
        if old is not None and _same(Path(old.location), path):
            old.close()  # its own lock would refuse the new opener
        new = self._opener(path)
        try:
            new.append([*self._history, *self._unsaved])
            new.save_policy(policy)
            new.save_overrides(overrides)
        except BaseException:
            new.close()
            raise
        self._saved = overrides
        if self._opened is not None:
            self._opened.close()
        self._store = self._opened = new
        self._policy = self._overrides = self._history = None
        self._recovered()

    def close(self) -> None:
        """Close a store `save_to` opened (the first one belongs to whoever opened it)."""
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def _recovered(self) -> None:
        kept, self._unsaved = self._unsaved, []
        self._problem = None
        self._tell(kept)

    def _save_settings(self, store: Persistence | None) -> None:
        if store is not None and self._policy is not None:
            store.save_policy(self._policy)
        self._policy = None
        if store is not None and self._overrides is not None:
            self._commit_overrides(store, [], self._overrides)
        self._overrides = None

    def _commit_overrides(
        self, store: Persistence, events: Sequence[AuditEvent], overrides: Overrides
    ) -> None:
        """`events` and the override rows changed since last saved, in one transaction."""
        if self._saved is None:
            self._saved = store.load_overrides()
        store.commit_command(events, diff(self._saved, overrides))
        self._saved, self._overrides = overrides, None

    def _tell(self, events: Sequence[AuditEvent]) -> None:
        for event in events:
            for listener in self.listeners:
                listener(event)


def _decisions(events: Sequence[AuditEvent]) -> list[tuple[str, str]]:
    """(conversation, key) of the decisions among `events`."""
    decided = (e for e in events if e.type is AuditType.UNASSIGN_DECIDED)
    return [(e.conv or "", e.key or "") for e in decided]


def _undecided(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    return [e for e in events if e.type is not AuditType.UNASSIGN_DECIDED]


def _same(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()
