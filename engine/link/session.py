"""The client side of one feed connection, without I/O (sans-IO).

The transport (a real websocket, or the replay driver) hands every received frame to
`receive()` and sends whatever `take_outbox()` returns, in order. The session builds the
requests, correlates responses by id, turns notifications into engine events through the
translator, runs the freshness barrier and resync, and reports action results.

Frames on one connection arrive in order, so the response to a `GetClock` sent at time t
proves that every frame the platform sent before t has been applied: that is the barrier.
A resync is the same idea: subscribe, then `GetClock`; its response ends the snapshot.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from engine.core import ConversationChanged, ConversationGone, FeedEvent, Unassign
from engine.link.translate import FeedTranslator, TranslationError, UnknownNotification
from engine.protocol import (
    FrameError,
    Notification,
    Request,
    Response,
    get_clock,
    parse_frame,
    subscribe_agent_states,
    subscribe_conversations,
    unassign,
)
from engine.protocol.bodies import ClockResponseBody

log = logging.getLogger("floorwatch.link")

DEFAULT_REQUEST_TIMEOUT = 10.0


class FeedSink(Protocol):
    """Where the session delivers what it learns (engine.service.FloorService)."""

    def feed_events(self, events: Sequence[FeedEvent], now: float) -> None: ...

    def feed_stale(self, now: float, detail: str) -> None: ...

    def feed_fresh(self, now: float, as_of: float, detail: str = "") -> None: ...

    def barrier_completed(self, started_at: float, now: float) -> None: ...

    def action_succeeded(self, action: Unassign, now: float) -> None: ...

    def action_failed(self, action: Unassign, error: str, now: float) -> None: ...


class _Purpose(Enum):
    SUBSCRIBE = "subscribe"
    RESYNC = "resync"
    BARRIER = "barrier"
    UNASSIGN = "unassign"


@dataclass(frozen=True, slots=True)
class _Pending:
    purpose: _Purpose
    sent_at: float
    action: Unassign | None = None


@dataclass
class LinkStats:
    """Counts of what the session received; `dropped` is keyed by reason."""

    frames: int = 0
    notifications: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())


class LinkSession:
    def __init__(
        self,
        *,
        brand_id: str,
        push_presence: bool = True,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        max_frame_bytes: int = 1_000_000,
    ) -> None:
        self._brand_id = brand_id
        self._push_presence = push_presence
        self._timeout = request_timeout
        self._max_frame_bytes = max_frame_bytes
        self._sink: FeedSink | None = None
        self._translator = FeedTranslator()
        self._ids = itertools.count(1)
        self._pending: dict[str, _Pending] = {}
        self._outbox: list[str] = []
        self._connected = False
        self._synced = False
        self._barrier_started: float | None = None
        self._subscribe_errors: list[str] = []
        self._open: set[str] = set()
        """Conversations the feed last showed open."""
        self._snapshot: set[str] | None = None
        """Conversations the resync under way has shown (None: no resync under way)."""
        self.stats = LinkStats()
        self.clock_offset: float | None = None
        """Platform clock minus the `now` the transport passes in, from the last GetClock."""
        self.clock_round_trip: float | None = None
        """Seconds the GetClock behind `clock_offset` took to come back (its uncertainty)."""

    def bind(self, sink: FeedSink) -> None:
        self._sink = sink

    @property
    def translator(self) -> FeedTranslator:
        return self._translator

    @property
    def synced(self) -> bool:
        """Connected, subscribed and past the snapshot: the feed is current."""
        return self._synced

    # ------------------------------------------------------------------ connection life cycle

    def connected(self, now: float) -> None:
        """A new connection is open: subscribe, then mark the end of the snapshot."""
        self._connected, self._synced = True, False
        self._pending.clear()
        self._barrier_started = None
        self._subscribe_errors = []
        self._snapshot = set()
        self._request(
            subscribe_conversations(self._next_id(), self._brand_id), _Purpose.SUBSCRIBE, now
        )
        if self._push_presence:
            self._request(subscribe_agent_states(self._next_id()), _Purpose.SUBSCRIBE, now)
        self._request(get_clock(self._next_id()), _Purpose.RESYNC, now)

    def disconnected(self, now: float, reason: str) -> None:
        """The connection is gone: the feed is stale, and unanswered actions failed."""
        was_connected = self._connected
        self._connected, self._synced = False, False
        self._outbox.clear()
        pending, self._pending = self._pending, {}
        self._barrier_started = None
        sink = self._require_sink()
        if was_connected:
            sink.feed_stale(now, reason)
        for request in pending.values():
            if request.action is not None:
                sink.action_failed(request.action, f"connection lost: {reason}", now)

    # ------------------------------------------------------------------ outgoing

    def take_outbox(self) -> list[str]:
        outbox, self._outbox = self._outbox, []
        return outbox

    def start_barrier(self, now: float) -> bool:
        """Send a `GetClock` round trip unless one is under way; True when one was sent."""
        if not self._synced or self._barrier_started is not None:
            return False
        self._barrier_started = now
        self._request(get_clock(self._next_id()), _Purpose.BARRIER, now)
        return True

    def send_unassign(self, action: Unassign) -> None:
        """The engine's action port: remove the agent, back to the queue."""
        if not self._connected:
            self._require_sink().action_failed(action, "not connected", action.attempt_at)
            return
        agent_legacy_id = self._translator.legacy_id(action.agent, self._brand_id)
        request = unassign(self._next_id(), action.conv_id, agent_legacy_id)
        self._request(request, _Purpose.UNASSIGN, action.attempt_at, action)

    def next_timeout(self) -> float | None:
        """When the oldest unanswered request times out, if any is under way."""
        if not self._pending:
            return None
        return min(p.sent_at for p in self._pending.values()) + self._timeout

    def expire(self, now: float) -> bool:
        """Fail requests unanswered for too long. Returns True when the connection must be
        dropped and reopened (a keep-alive or subscription went unanswered)."""
        expired = [(rid, p) for rid, p in self._pending.items() if now - p.sent_at >= self._timeout]
        must_reconnect = False
        for request_id, request in expired:
            del self._pending[request_id]
            if request.action is not None:
                self._require_sink().action_failed(
                    request.action, f"timeout: no response in {self._timeout:g} s", now
                )
            else:
                must_reconnect = True
        return must_reconnect

    # ------------------------------------------------------------------ incoming

    def receive(self, raw: str | bytes, now: float) -> None:
        """One frame from the platform. A bad frame is logged, counted and dropped."""
        self.stats.frames += 1
        try:
            frame = parse_frame(raw, self._max_frame_bytes)
        except FrameError as exc:
            self._drop("malformed", str(exc))
            return
        if isinstance(frame, Response):
            self._response(frame, now)
        elif isinstance(frame, Notification):
            self._notification(frame, now)
        else:
            self._drop("unexpected", f"a request from the platform ({frame.type})")

    def _notification(self, frame: Notification, now: float) -> None:
        self.stats.notifications += 1
        if not self._connected:
            return
        try:
            events = self._translator.translate(frame, received_at=now + (self.clock_offset or 0.0))
        except UnknownNotification as exc:
            self._drop("unknown", str(exc))
            return
        except TranslationError as exc:
            self._drop("invalid", str(exc))
            return
        if events:
            self._track(events)
            self._require_sink().feed_events(events, now)

    def _response(self, frame: Response, now: float) -> None:
        request = self._pending.pop(frame.req_id, None)
        if request is None:
            self._drop("unexpected", f"a response to unknown request {frame.req_id[:64]!r}")
            return
        sink = self._require_sink()
        if request.purpose is _Purpose.UNASSIGN:
            assert request.action is not None
            if frame.ok:
                sink.action_succeeded(request.action, now)
            else:
                sink.action_failed(request.action, _error_text(frame), now)
        elif request.purpose is _Purpose.SUBSCRIBE:
            if not frame.ok:
                self._subscribe_errors.append(_error_text(frame))
        else:
            self._clock_response(frame, request, now)

    def _clock_response(self, frame: Response, request: _Pending, now: float) -> None:
        sink = self._require_sink()
        if isinstance(frame.body, dict) and frame.ok:
            try:
                clock = ClockResponseBody.model_validate(frame.body)
            except ValueError:
                self._drop("invalid", "GetClock response without a currentTime")
            else:
                self.clock_offset = clock.current_time / 1000.0 - now
                self.clock_round_trip = now - request.sent_at
        if request.purpose is _Purpose.BARRIER:
            self._barrier_started = None
            sink.barrier_completed(request.sent_at, now)
            return
        if self._subscribe_errors:
            log.error("subscription refused: %s", "; ".join(self._subscribe_errors))
            return
        self._synced = True
        self._end_snapshot(now)
        sink.feed_fresh(now, request.sent_at, "resynced")

    # ------------------------------------------------------------------ helpers

    def _track(self, events: Sequence[FeedEvent]) -> None:
        for event in events:
            if isinstance(event, ConversationChanged) and event.open:
                self._open.add(event.conv_id)
                if self._snapshot is not None:
                    self._snapshot.add(event.conv_id)
            elif isinstance(event, ConversationChanged | ConversationGone):
                self._open.discard(event.conv_id)

    def _end_snapshot(self, now: float) -> None:
        """A resync lists every open conversation: one it left out closed while the feed was
        down (a subscription to OPEN conversations never shows their close)."""
        shown, self._snapshot = self._snapshot or set(), None
        gone = sorted(self._open - shown)
        self._open &= shown
        if gone:
            self._require_sink().feed_events([ConversationGone(c) for c in gone], now)

    def _request(
        self, request: Request, purpose: _Purpose, now: float, action: Unassign | None = None
    ) -> None:
        self._pending[request.id] = _Pending(purpose, now, action)
        self._outbox.append(request.to_wire())

    def _next_id(self) -> str:
        return str(next(self._ids))

    def _drop(self, kind: str, reason: str) -> None:
        self.stats.dropped[kind] += 1
        log.warning("dropped a %s frame: %s", kind, reason)

    def _require_sink(self) -> FeedSink:
        if self._sink is None:
            raise RuntimeError("LinkSession.bind() must be called before use")
        return self._sink


def _error_text(frame: Response) -> str:
    body = frame.body if isinstance(frame.body, str) else str(frame.body)
    return f"code {frame.code}: {body[:200]}"
