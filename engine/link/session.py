"""The client side of one feed connection, without I/O (sans-IO), pulled both ways: every
method takes what happened (a connection opened, a frame arrived, time passed) and returns a
`SessionOutput` (engine events, frames to send, a clock sample, a reason to reconnect). It
never calls its caller; the caller moves what it returns (`engine.service.FloorService`).

Frames on one connection arrive in order, so the response to a `GetClock` sent at time t
proves that every frame the platform sent before t has been applied: that is the barrier.
A resync is the same idea: subscribe, then `GetClock`; its response ends the snapshot.

That proof holds only while no frame that may have carried feed data was lost (one that is
not JSON, not a frame, too large, or a conversation or agent-state notification that does not
match the protocol): after such a loss the feed is stale, nothing on this connection proves
anything any more, and the connection is reopened to read the floor again. A lost snapshot
frame therefore never makes its conversations vanish.
"""

from __future__ import annotations

import math

from engine.core import (
    Action,
    ActionFailed,
    ActionSucceeded,
    BarrierCompleted,
    FeedFresh,
    FeedStale,
    LinkEvent,
)
from engine.link.clock import ClockSample
from engine.link.droplog import DropLog
from engine.link.message_reads import MessageReads
from engine.link.outgoing import action_request
from engine.link.output import LinkStats, SessionOutput, response_error
from engine.link.pending import Pending as _Pending
from engine.link.pending import PendingRequests
from engine.link.pending import Purpose as _Purpose
from engine.link.redact import redacting_logger
from engine.link.snapshot import OpenConversations
from engine.link.translate import FeedTranslator, TranslationError, UnknownNotification
from engine.protocol import (
    MAX_FRAME_BYTES,
    BodyError,
    FrameError,
    ReadNotification,
    Request,
    Response,
    Spelling,
    decode_frame,
)

log = redacting_logger("floorwatch.link")

DEFAULT_REQUEST_TIMEOUT = 10.0
UNANSWERED = "a keep-alive or subscription went unanswered"
RETRY_AFTER_AHEAD = 0.2
"""Seconds before a GetClock is sent again after one showed our clock ahead of the platform's."""


class LinkSession:
    def __init__(
        self,
        *,
        brand_id: str,
        push_presence: bool = True,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        keepalive_interval: float | None = None,
        max_frame_bytes: int = MAX_FRAME_BYTES,
        spelling: Spelling = Spelling.RAW,
    ) -> None:
        """`keepalive_interval`: seconds between the application keep-alives (`GetClock`)
        that `timer()` sends; None sends none (the replay's barriers suffice). `spelling`:
        of the request type names (raw, as the official SDK sends them, by default)."""
        self._brand_id = brand_id
        self._push_presence = push_presence
        self._timeout = request_timeout
        self._keepalive = keepalive_interval
        self._max_frame_bytes = max_frame_bytes
        self._translator = FeedTranslator()
        self._requests = PendingRequests(spelling)
        self._connected = False
        self._lost: str | None = None
        """Why this connection can no longer be trusted (a frame with feed data was lost)."""
        self._synced = False
        self._barrier_started: float | None = None
        self._barrier_not_before = -math.inf
        self._resync_again_at: float | None = None
        self._resync_retries = 0
        self._last_keepalive = 0.0
        self._subscribe_errors: list[str] = []
        self._conversations = OpenConversations()
        self._reads = MessageReads()
        self.stats = LinkStats()
        self._drops = DropLog(log)

    @property
    def synced(self) -> bool:
        """Connected, subscribed and past the snapshot: the feed is current."""
        return self._synced

    # ------------------------------------------------------------------ connection life cycle

    def connected(self, now: float) -> SessionOutput:
        """A new connection is open: subscribe, then mark the end of the snapshot."""
        self._connected, self._synced, self._lost = True, False, None
        self._reads.lost(self._requests.forget_all())
        self._barrier_started, self._resync_again_at = None, None
        self._barrier_not_before = -math.inf
        self._last_keepalive = now
        self._subscribe_errors = []
        self._conversations.begin_snapshot()
        requests = self._requests
        writes = requests.subscriptions(self._brand_id, presence=self._push_presence, now=now)
        writes.append(requests.get_clock(_Purpose.RESYNC, now))
        writes += self._reads.send(requests, now)
        return SessionOutput(writes=tuple(writes))

    def disconnected(self, now: float, reason: str) -> SessionOutput:
        """The connection is gone: the feed is stale, and unanswered actions failed."""
        was_connected = self._connected and self._lost is None
        self._connected, self._synced, self._lost = False, False, None
        self._barrier_started, self._resync_again_at = None, None
        events: list[LinkEvent] = [FeedStale(reason)] if was_connected else []
        forgotten = self._requests.forget_all()
        self._reads.lost(forgotten)
        events += [
            ActionFailed(request.action, f"connection lost: {reason}")
            for request in forgotten
            if request.action is not None
        ]
        return SessionOutput(events=tuple(events))

    # ------------------------------------------------------------------ outgoing

    def start_barrier(self, now: float) -> SessionOutput:
        """A `GetClock` round trip, unless one is under way or the feed is not synced (or the
        last one showed our clock ahead a moment ago: the clock corrects itself first)."""
        if not self._synced or self._barrier_started is not None or now < self._barrier_not_before:
            return SessionOutput()
        self._barrier_started = now
        return SessionOutput(writes=(self._requests.get_clock(_Purpose.BARRIER, now),))

    def send_unassign(self, action: Action) -> SessionOutput:
        """The engine's action port: an unassign (or a transfer to an agent) as a request."""
        if not self._connected:
            return SessionOutput(events=(ActionFailed(action, "not connected"),))
        return action_request(action, self._translator, self._requests, self._brand_id)

    def read_messages(self, conv_ids: list[str], now: float) -> SessionOutput:
        """Read the messages of these conversations (`MessagesRead`), a few at a time."""
        self._reads.want(conv_ids)
        if not self._connected:
            return SessionOutput()
        return SessionOutput(writes=tuple(self._reads.send(self._requests, now)))

    # ------------------------------------------------------------------ time

    def next_timer(self) -> float | None:
        """When `timer()` next has work: a request's timeout or the next keep-alive."""
        oldest = self._requests.oldest()
        times = [] if oldest is None else [oldest + self._timeout]
        if self._keepalive is not None and self._synced:
            times.append(self._last_keepalive + self._keepalive)
        return min(times, default=None)

    def oldest_request(self) -> float | None:
        """When the oldest unanswered request was sent, if any is under way."""
        return self._requests.oldest()

    def timer(self, now: float) -> SessionOutput:
        """Fail requests unanswered for too long (an unanswered keep-alive or subscription
        means the connection must be reopened, as does a lost frame), then send the
        keep-alive when it is due."""
        self._drops.flush(now)
        if self._quiet(now):
            return SessionOutput()
        events: list[LinkEvent] = []
        reconnect = self._lost
        for request in self._requests.expired(now, self._timeout):
            if request.action is not None:
                error = f"timeout: no response in {self._timeout:g} s"
                events.append(ActionFailed(request.action, error))
            elif request.purpose is _Purpose.MESSAGES:
                self._reads.timed_out((request,))
            else:
                reconnect = UNANSWERED
        writes = () if reconnect is not None else self.resync_due(now).writes
        if reconnect is None and self._connected:
            writes += tuple(self._reads.send(self._requests, now))
        keepalive = self._keepalive
        if (
            reconnect is None
            and self._connected
            and keepalive is not None
            and now - self._last_keepalive >= keepalive
        ):
            self._last_keepalive = now
            writes += self.start_barrier(now).writes
        return SessionOutput(events=tuple(events), writes=writes, reconnect=reconnect)

    def _quiet(self, now: float) -> bool:
        """Whether `timer(now)` has nothing to do: no frame lost, no request timed out, no
        resync, message read or keep-alive due."""
        oldest = self._requests.oldest()
        keepalive = self._keepalive
        return (
            self._lost is None
            and (oldest is None or now - oldest < self._timeout)
            and (self._resync_again_at is None or now < self._resync_again_at)
            and not (self._connected and self._reads.ready)
            and (keepalive is None or not self._connected or now - self._last_keepalive < keepalive)
        )

    def resync_due(self, now: float) -> SessionOutput:
        """The resync's GetClock again, when its answer showed our clock ahead and the clock
        has had time to correct itself (at once the first time: the caller corrects it)."""
        if self._resync_again_at is None or now < self._resync_again_at:
            return SessionOutput()
        self._resync_again_at = None
        self._resync_retries += 1
        return SessionOutput(writes=(self._requests.get_clock(_Purpose.RESYNC, now),))

    # ------------------------------------------------------------------ incoming

    def receive(self, raw: str | bytes, now: float) -> SessionOutput:
        """One frame from the platform. A bad frame is logged, counted and dropped; one that
        may have carried feed data makes the feed stale and the connection be reopened."""
        self.stats.frames += 1
        self.stats.largest_frame = max(self.stats.largest_frame, len(raw))
        try:
            frame = decode_frame(raw, self._max_frame_bytes)
        except BodyError as exc:  # a notification the feed reads, its body not as modelled
            return self._notification(exc, now)
        except FrameError as exc:
            return self._lose("malformed", str(exc), now)
        if isinstance(frame, Response):
            return self._response(frame, now)
        if isinstance(frame, Request):
            return self._drop("unexpected", f"a request from the platform ({frame.type})", now)
        return self._notification(frame, now)

    def _notification(self, frame: ReadNotification | BodyError, now: float) -> SessionOutput:
        self.stats.notifications += 1
        if not self._connected:
            return SessionOutput()
        if isinstance(frame, BodyError):
            return self._lose("invalid", frame.reason, now)
        try:
            events = self._translator.translate(frame, received_at=now)
        except UnknownNotification as exc:
            return self._drop("unknown", str(exc), now)
        except TranslationError as exc:
            return self._lose("invalid", str(exc), now)
        self._conversations.track(events)
        return SessionOutput(events=tuple(events))

    def _response(self, frame: Response, now: float) -> SessionOutput:
        request = self._requests.answered(frame.req_id)
        if request is None:
            unknown = f"a response to unknown request {frame.req_id[:64]!r}"
            return self._drop("unexpected", unknown, now)
        if request.purpose is _Purpose.UNASSIGN:
            assert request.action is not None
            if frame.ok:
                return SessionOutput(events=(ActionSucceeded(request.action),))
            return SessionOutput(events=(ActionFailed(request.action, response_error(frame)),))
        if request.purpose is _Purpose.MESSAGES:
            read = self._reads.answered(request, frame)
            more = tuple(self._reads.send(self._requests, now))
            return SessionOutput(events=() if read is None else (read,), writes=more)
        if request.purpose is _Purpose.SUBSCRIBE:
            if not frame.ok:
                self._subscribe_errors.append(response_error(frame))
            return SessionOutput()
        return self._clock_response(frame, request, now)

    def _clock_response(self, frame: Response, request: _Pending, now: float) -> SessionOutput:
        """A GetClock came back: every frame sent before `request.sent_at` is applied. The
        platform's `currentTime` dates the round trip; one earlier than the request's own
        start shows our clock ran ahead, and then the answer proves nothing."""
        sample: ClockSample | None = None
        try:
            sample = ClockSample.from_answer(frame, request.sent_at, now)
        except ValueError:
            self._drop("invalid", "GetClock response without a currentTime", now)
        ahead = sample is not None and sample.ahead
        if ahead:
            self.stats.clock_ahead += 1
            log.info("a GetClock answer dates before its request: our clock ran ahead")
        if self._lost is not None:
            return SessionOutput(clock=sample)  # it proves nothing on this connection now
        if request.purpose is _Purpose.BARRIER:
            self._barrier_started = None
            if ahead:
                self._barrier_not_before = now + RETRY_AFTER_AHEAD
                return SessionOutput(clock=sample)
            return SessionOutput(events=(BarrierCompleted(request.sent_at),), clock=sample)
        if self._subscribe_errors:
            log.error("subscription refused: %s", "; ".join(self._subscribe_errors))
            return SessionOutput(clock=sample)
        if ahead:
            # at once the first time (the caller corrects the clock first), else a moment later
            self._resync_again_at = now + RETRY_AFTER_AHEAD if self._resync_retries else -math.inf
            return SessionOutput(clock=sample)
        self._synced = True
        events: list[LinkEvent] = [*self._conversations.end_snapshot()]
        events.append(FeedFresh(request.sent_at, "resynced"))
        return SessionOutput(events=tuple(events), clock=sample)

    # ------------------------------------------------------------------ helpers

    def _lose(self, kind: str, reason: str, now: float) -> SessionOutput:
        """A dropped frame that may have carried feed data: the feed is stale until the
        connection is reopened (`timer()` asks for it) and the floor read again."""
        output = self._drop(kind, reason, now)
        if not self._connected or self._lost is not None:
            return output
        self._lost = f"a frame from the platform was lost ({kind}); reading the floor again"
        self._synced = False
        self._barrier_started = None
        return SessionOutput(events=(FeedStale(self._lost),))

    def _drop(self, kind: str, reason: str, now: float) -> SessionOutput:
        """Count every drop exactly; log a bounded number of lines (`DropLog`)."""
        self.stats.dropped[kind] += 1
        self._drops.note(kind, reason, now)
        return SessionOutput()
