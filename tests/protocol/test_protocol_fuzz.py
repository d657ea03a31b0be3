"""Property: parse_frame and decode_frame raise nothing but FrameError, whatever they are
given, and agree on which frames are valid envelopes."""

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from engine.protocol import (
    BodyError,
    FrameError,
    Notification,
    Request,
    Response,
    decode_frame,
    parse_frame,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
envelope_keys = st.sampled_from(["kind", "id", "reqId", "code", "type", "body", "headers"])
kinds = st.sampled_from(["req", "resp", "notification"]) | json_values
envelope_like = st.builds(
    lambda kind, fields: {"kind": kind, **fields},
    kinds,
    st.dictionaries(envelope_keys, json_values | st.text(max_size=70)),
)


def _parses_or_frame_error(raw: str | bytes) -> None:
    try:
        frame = parse_frame(raw, max_bytes=10_000)
    except FrameError as exc:
        assert exc.reason
        envelope = False
    else:
        assert isinstance(frame, Request | Response | Notification)
        envelope = True
    try:
        decode_frame(raw, max_bytes=10_000)
    except BodyError as exc:
        assert envelope, "a body error only when the envelope is sound"
        assert exc.reason
    except FrameError as exc:
        assert not envelope, "the same envelopes are sound to both"
        assert exc.reason


@given(st.text())
def test_arbitrary_text(raw: str) -> None:
    _parses_or_frame_error(raw)


@given(st.binary())
def test_arbitrary_bytes(raw: bytes) -> None:
    _parses_or_frame_error(raw)


@given(json_values)
def test_arbitrary_json_values(value: Any) -> None:
    _parses_or_frame_error(json.dumps(value))


@given(envelope_like)
def test_envelope_like_objects(value: dict[str, Any]) -> None:
    _parses_or_frame_error(json.dumps(value).encode())
