"""Which conversations the feed shows open, and which a resync's snapshot left out.

A subscription to OPEN conversations never shows a close that happened while the feed was
down; a resync lists every open conversation, so one it left out has closed.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.core import ConversationChanged, ConversationGone, FeedEvent


class OpenConversations:
    def __init__(self) -> None:
        self._open: set[str] = set()
        """Conversations the feed last showed open."""
        self._snapshot: set[str] | None = None
        """Conversations the resync under way has shown (None: no resync under way)."""

    def begin_snapshot(self) -> None:
        self._snapshot = set()

    def track(self, events: Sequence[FeedEvent]) -> None:
        for event in events:
            if isinstance(event, ConversationChanged) and event.open:
                self._open.add(event.conv_id)
                if self._snapshot is not None:
                    self._snapshot.add(event.conv_id)
            elif isinstance(event, ConversationChanged | ConversationGone):
                self._open.discard(event.conv_id)

    def end_snapshot(self) -> list[ConversationGone]:
        """The snapshot is complete: the conversations it left out are gone."""
        shown, self._snapshot = self._snapshot or set(), None
        gone = sorted(self._open - shown)
        self._open &= shown
        return [ConversationGone(c) for c in gone]
