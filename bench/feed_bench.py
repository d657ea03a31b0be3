"""The feed path on the frames the fixture platform sends for a generated floor.

Decoding alone, per frame, measured side by side in one run (each decoder over every frame,
in turns, the fastest of several rounds): `json.loads` alone; the two-pass path the feed had
(`json.loads`, a pydantic pass over the envelope, a second over the body); the one
`validate_json` pass it has (`decode_frame`); msgspec with equivalent Structs, beside it for
comparison only (the product keeps pydantic). Then the whole path (parse + translate +
engine) in frames per second.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Literal

import msgspec

from bench.report import Row
from engine.core import Engine
from engine.link.session import LinkSession
from engine.protocol import (
    AGENT_STATE_NOTIFICATION,
    EX_CONVERSATION_CHANGE_NOTIFICATION,
    AgentStateBody,
    ExConversationChangeBody,
    Notification,
    Request,
    Response,
    decode_frame,
    normalize_type,
)
from engine.service import FloorService
from fixtures.generate import FloorShape, floor
from fixtures.platform import Platform
from fixtures.scenario import parse_scenario

ROUNDS = 3
DECODE_GOAL = 1.5
"""The one-pass decode takes at most this many times `json.loads` alone."""


def platform_frames(conversations: int = 2_000, hours: float = 2.0) -> list[str]:
    """Every frame the fixture platform sends for a generated floor, as JSON text."""
    scenario = parse_scenario(floor("bench", FloorShape(conversations=conversations, hours=hours)))
    platform = Platform(scenario)
    session = LinkSession(brand_id=platform.account)
    platform.connect()
    for request in session.connected(0.0).writes:
        platform.handle_request(json.loads(request))
    frames: list[str] = []
    t = 0.0
    while (t_next := platform.next_event_at()) is not None and t_next <= scenario.until:
        t = t_next
        platform.advance_to(t)
        frames += [json.dumps(frame) for frame in platform.take_outgoing(t)]
    return frames


# --- the two-pass path the feed had: json.loads, the envelope, then the body ----------------

_ENVELOPES: dict[str, type[Request] | type[Response] | type[Notification]] = {
    "req": Request,
    "resp": Response,
    "notification": Notification,
}
_BODIES: dict[str, type[ExConversationChangeBody] | type[AgentStateBody]] = {
    EX_CONVERSATION_CHANGE_NOTIFICATION: ExConversationChangeBody,
    AGENT_STATE_NOTIFICATION: AgentStateBody,
}


def two_passes(raw: str) -> object:
    obj = json.loads(raw)
    frame = _ENVELOPES[obj["kind"]].model_validate(obj)
    if isinstance(frame, Notification):
        body = _BODIES.get(normalize_type(frame.type))
        return frame if body is None else body.model_validate(frame.body)
    return frame  # a response's body is read with its envelope now (3 frames of the run)


# --- msgspec: Structs equivalent to the protocol models -------------------------------------


class _Struct(msgspec.Struct, rename="camel"):
    pass


class _Participant(_Struct, kw_only=True):
    id: str
    role: str
    state: str | None = None


class _Dialog(_Struct, kw_only=True):
    dialog_id: str | None = None
    dialog_type: str | None = None
    state: str | None = None
    participants_details: list[_Participant] = msgspec.field(default_factory=list)
    creation_ts: int | None = None
    end_ts: int | None = None
    meta_data_last_update_ts: int | None = None


class _Details(_Struct, kw_only=True):
    skill_id: str | int | None = None
    participants: list[_Participant] | dict[str, list[str]]
    participants_p_id: dict[str, list[str]] | None = None
    dialogs: list[_Dialog] = msgspec.field(default_factory=list)
    state: str
    stage: str | None = None
    start_ts: int
    end_ts: int | None = None
    meta_data_last_update_ts: int | None = None


class _Originator(_Struct, kw_only=True):
    id: str | None = None
    role: str | None = None


class _ContentEvent(_Struct, kw_only=True):
    type: str


class _LastContent(_Struct, kw_only=True):
    sequence: int
    dialog_id: str | None = None
    server_timestamp: int
    originator_id: str | None = None
    originator_p_id: str | None = None
    originator_metadata: _Originator | None = None
    event: _ContentEvent


class _Result(_Struct, kw_only=True):
    conv_id: str
    effective_ttr: int | None = msgspec.field(default=None, name="effectiveTTR")
    conversation_details: _Details | None = None
    last_content_event_notification: _LastContent | None = None
    number_of_unread_messages: dict[str, int] | None = msgspec.field(
        default=None, name="numberOfunreadMessages"
    )


class _Change(_Struct, kw_only=True):
    type: Literal["UPSERT", "DELETE"]
    result: _Result


class _ConversationBody(_Struct, kw_only=True):
    subscription_id: str
    sent_ts: int | None = None
    changes: list[_Change]


class _AgentResult(_Struct, kw_only=True):
    agent_user_id: str | int | None = None
    channels: list[str] | None = None
    availability: Literal["ONLINE", "AWAY", "BACK_SOON", "OFFLINE", "OCCUPIED"]
    description: str | None = None
    state_changed_ts: int | None = None
    agent_name: str | None = None
    is_bot: bool | None = None


class _AgentChange(_Struct, kw_only=True):
    type: str
    result: _AgentResult


class _AgentBody(_Struct, kw_only=True):
    subscription_id: str | None = None
    changes: list[_AgentChange]


class _ClockBody(_Struct, kw_only=True):
    current_time: int


class _Request(_Struct, kw_only=True, tag_field="kind", tag="req"):
    id: str | int
    type: str
    body: dict[str, Any]


class _Response(_Struct, kw_only=True, tag_field="kind", tag="resp"):
    req_id: str | int
    code: int
    type: str
    body: msgspec.Raw = msgspec.Raw(b"null")


class _Notification(_Struct, kw_only=True, tag_field="kind", tag="notification"):
    type: str
    body: msgspec.Raw


_FRAME = msgspec.json.Decoder(_Request | _Response | _Notification)
_NOTIFICATION_BODIES: dict[str, msgspec.json.Decoder[Any]] = {
    EX_CONVERSATION_CHANGE_NOTIFICATION: msgspec.json.Decoder(_ConversationBody),
    AGENT_STATE_NOTIFICATION: msgspec.json.Decoder(_AgentBody),
}
_CLOCK = msgspec.json.Decoder(_ClockBody)
_ANY_BODY = msgspec.json.Decoder(dict[str, Any] | str | None)


def with_msgspec(raw: str) -> object:
    """The frame, then its body typed by `type` (msgspec keys a union by one tag value per
    Struct, so a `type` of four spellings is read as `Raw` first: the body is scanned twice,
    but nothing is built between the passes)."""
    frame = _FRAME.decode(raw)
    if isinstance(frame, _Notification):
        decoder = _NOTIFICATION_BODIES.get(normalize_type(frame.type))
        return frame if decoder is None else decoder.decode(frame.body)
    if isinstance(frame, _Response):
        try:
            return _CLOCK.decode(frame.body)
        except msgspec.ValidationError:
            return _ANY_BODY.decode(frame.body)
    return frame


# --- measuring -------------------------------------------------------------------------------

DECODERS: dict[str, Callable[[str], object]] = {
    "json.loads alone": json.loads,
    "two pydantic passes (before)": two_passes,
    "one validate_json pass (now)": decode_frame,
    "msgspec Structs": with_msgspec,
}


def decode_times(frames: list[str], rounds: int = ROUNDS) -> dict[str, float]:
    """Seconds per frame for each decoder: the fastest of `rounds`, taken in turns."""
    best = dict.fromkeys(DECODERS, float("inf"))
    for _ in range(rounds):
        for name, decode in DECODERS.items():
            start = time.perf_counter()
            for frame in frames:
                decode(frame)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: seconds / len(frames) for name, seconds in best.items()}


def _through_session(frames: list[str], scenario_start: float) -> float:
    """Seconds for every frame through a fresh service (the fastest of `ROUNDS`)."""
    best = float("inf")
    for _ in range(ROUNDS):
        service = FloorService(Engine(), LinkSession(brand_id="12345678"))
        service.connected(scenario_start)
        service.take_writes()
        start = time.perf_counter()
        for frame in frames:
            service.receive(frame, scenario_start)
        best = min(best, time.perf_counter() - start)
    return best


def _per_frame(seconds: float, baseline: float) -> str:
    return f"{seconds * 1e6:,.1f} us ({seconds / baseline:.2f}x json.loads)"


def run() -> list[Row]:
    frames = platform_frames()
    times = decode_times(frames)
    baseline = times["json.loads alone"]
    one_pass = times["one validate_json pass (now)"]
    msgspec_time = times["msgspec Structs"]
    ratio = one_pass / baseline
    rows = [Row("feed", "frames", f"{len(frames):,}")]
    rows += [
        Row("feed", f"decode per frame: {name}", _per_frame(seconds, baseline))
        for name, seconds in times.items()
        if name != "one validate_json pass (now)"
    ]
    rows.append(
        Row(
            "feed",
            "decode per frame: one validate_json pass (now)",
            _per_frame(one_pass, baseline),
            f"<= {DECODE_GOAL:g}x json.loads",
            ratio <= DECODE_GOAL,
        )
    )
    faster, by = ("msgspec", one_pass / msgspec_time)
    if msgspec_time > one_pass:
        faster, by = ("one-pass pydantic", msgspec_time / one_pass)
    rows.append(Row("feed", "msgspec vs one-pass pydantic", f"{faster} faster, x{by:.2f}"))
    ours = _through_session(frames, 1_732_500_000.0)
    whole = ours / (baseline * len(frames))
    rows += [
        Row("feed", "frames/s through parse+translate+engine", f"{len(frames) / ours:,.0f}"),
        Row("feed", "frames/s through json.loads alone", f"{1 / baseline:,.0f}"),
        Row("feed", "whole path vs json.loads", f"{whole:.2f}x", "<= 5x", whole <= 5.0),
    ]
    return rows
