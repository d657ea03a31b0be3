"""Reading the messages of conversations whose wait the feed could not date (the engine first
saw them with the consumer's message newest, or after a gap): a queue of conversations to
read, at most `IN_FLIGHT` reads under way on the connection, each answer turned into a
`MessagesRead`. A read refused, unanswered or unreadable is dropped: the wait keeps the
feed's start (late, never early). Reads under way when the connection goes are asked again
on the next one."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from pydantic import TypeAdapter, ValidationError

from engine.core import MessagesRead
from engine.core.model import ConvId
from engine.link.pending import Pending, PendingRequests, Purpose
from engine.link.translate import last_message
from engine.protocol import LastContentEvent, Response

IN_FLIGHT = 8
"""Reads under way at once: a restart on a large floor asks for many, the feed goes first."""
_EVENTS = TypeAdapter(list[LastContentEvent])


class MessageReads:
    def __init__(self) -> None:
        self._wanted: deque[ConvId] = deque()
        self._queued: set[ConvId] = set()
        self._under_way = 0

    def want(self, conv_ids: Iterable[ConvId]) -> None:
        """Conversations whose messages are to be read (each once while it waits its turn)."""
        for conv_id in conv_ids:
            if conv_id not in self._queued:
                self._queued.add(conv_id)
                self._wanted.append(conv_id)

    @property
    def ready(self) -> bool:
        """Whether `send` has a read to send."""
        return bool(self._wanted) and self._under_way < IN_FLIGHT

    def send(self, requests: PendingRequests, now: float) -> list[str]:
        """The reads that may go out now."""
        writes = []
        while self._wanted and self._under_way < IN_FLIGHT:
            conv_id = self._wanted.popleft()
            self._queued.discard(conv_id)
            writes.append(requests.read_messages(conv_id, now))
            self._under_way += 1
        return writes

    def answered(self, request: Pending, frame: Response) -> MessagesRead | None:
        """A read came back: its messages (None: refused or unreadable, dropped)."""
        self._under_way -= 1
        assert request.conv is not None
        if not frame.ok:
            return None
        try:
            events = _EVENTS.validate_python(frame.body)
        except ValidationError:
            return None
        messages = [last_message(event, None) for event in events]
        found = tuple(m for m in messages if m is not None)
        return MessagesRead(request.conv, found)

    def timed_out(self, requests: Iterable[Pending]) -> None:
        """Requests unanswered too long: their reads are dropped."""
        for request in requests:
            if request.purpose is Purpose.MESSAGES:
                self._under_way -= 1

    def lost(self, requests: Iterable[Pending]) -> None:
        """The connection went with these requests: its reads are asked again."""
        for request in requests:
            if request.purpose is Purpose.MESSAGES and request.conv is not None:
                self._under_way -= 1
                self.want((request.conv,))
