"""The envelope parser: valid frames, and a short FrameError reason for every broken one."""

import json
from collections.abc import Callable

import pytest

from engine.protocol import (
    FeedFrame,
    FrameError,
    Notification,
    Request,
    Response,
    decode_frame,
    parse_frame,
)

Parser = Callable[..., FeedFrame]
both_parsers = pytest.mark.parametrize("parse", [parse_frame, decode_frame], ids=["plain", "feed"])


def test_request_int_id_is_coerced_to_str() -> None:
    frame = parse_frame('{"kind": "req", "id": 42, "type": "GetClock", "body": {}}')
    assert isinstance(frame, Request)
    assert frame.id == "42"


def test_response_int_req_id_is_coerced_to_str() -> None:
    frame = parse_frame(b'{"kind": "resp", "reqId": 7, "code": 200, "type": "x", "body": "OK"}')
    assert isinstance(frame, Response)
    assert (frame.req_id, frame.code, frame.body, frame.ok) == ("7", 200, "OK", True)


def test_response_body_may_be_missing_and_error_codes_are_not_ok() -> None:
    frame = parse_frame('{"kind": "resp", "reqId": "1", "code": 400, "type": "x"}')
    assert isinstance(frame, Response)
    assert frame.body is None
    assert not frame.ok


def test_extra_envelope_fields_are_ignored() -> None:
    raw = '{"kind": "notification", "type": "t", "body": {"a": 1}, "extra": [1, 2]}'
    assert parse_frame(raw) == Notification(type="t", body={"a": 1})


def test_request_keeps_headers_and_round_trips_through_to_wire() -> None:
    request = Request(id="9", type="GetClock", body={}, headers=[{"type": ".ams.headers.x"}])
    assert parse_frame(request.to_wire()) == request


def test_to_wire_uses_wire_names_and_drops_unset_options() -> None:
    wire = json.loads(Response(req_id="3", code=200, type="t", body={"a": 1}).to_wire())
    assert wire == {"kind": "resp", "reqId": "3", "code": 200, "type": "t", "body": {"a": 1}}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        ("{not json", "not JSON"),
        ("", "not JSON"),
        ("[" * 200_000 + "]" * 200_000, "not JSON: nested too deeply"),
        ("[1, 2]", "not a JSON object but an array"),
        ('"text"', "not a JSON object but a string"),
        ("null", "not a JSON object but null"),
        ("{}", "missing field 'kind'"),
        ('{"kind": 3}', "field 'kind' is a number, not a string"),
        ('{"kind": "event"}', "unknown kind 'event'"),
        ('{"kind": "req", "type": "GetClock", "body": {}}', "bad req: missing field 'id'"),
        ('{"kind": "req", "id": "", "type": "GetClock", "body": {}}', "bad req: field 'id'"),
        ('{"kind": "req", "id": true, "type": "GetClock", "body": {}}', "bad req: field 'id'"),
        ('{"kind": "req", "id": "1", "type": "GetClock", "body": []}', "bad req: field 'body'"),
        ('{"kind": "resp", "reqId": "1", "type": "x", "code": "200"}', "bad resp: field 'code'"),
        ('{"kind": "resp", "reqId": "1", "type": "x"}', "bad resp: missing field 'code'"),
        ('{"kind": "resp", "reqId": "1", "code": 200, "type": "x", "body": 5}', "bad resp"),
        ('{"kind": "notification", "body": {}}', "bad notification: missing field 'type'"),
        ('{"kind": "notification", "type": 1, "body": {}}', "bad notification: field 'type'"),
    ],
)
@both_parsers
def test_frame_error_reasons(parse: Parser, raw: str | bytes, reason: str) -> None:
    with pytest.raises(FrameError) as caught:
        parse(raw)
    assert caught.value.reason.startswith(reason)
    assert str(caught.value) == caught.value.reason


@both_parsers
def test_several_problems_are_counted_not_listed(parse: Parser) -> None:
    with pytest.raises(FrameError, match=r"field 'type'.* \(\+1 more\)$"):
        parse('{"kind": "notification", "type": 1, "body": 2}')


@pytest.mark.parametrize("frame", ["x" * 101, "é" * 51, b"{" + b" " * 99 + b"}"])
@both_parsers
def test_oversized_frames_are_refused_by_utf8_size(parse: Parser, frame: str | bytes) -> None:
    with pytest.raises(FrameError, match="oversized"):
        parse(frame, max_bytes=100)


@both_parsers
def test_a_frame_at_the_size_limit_is_accepted(parse: Parser) -> None:
    raw = '{"kind": "notification", "type": "t", "body": {"s": "é"}}'
    assert isinstance(parse(raw, max_bytes=len(raw.encode())), Notification)


@both_parsers
def test_reasons_never_quote_the_whole_frame(parse: Parser) -> None:
    huge = "k" * 5000
    for raw in (f'{{"kind": "{huge}"}}', f'{{"kind": "req", "id": "{huge}", "type": 1}}'):
        with pytest.raises(FrameError) as caught:
            parse(raw)
        assert len(caught.value.reason) < 200
