"""Hostile frames from the platform over a real socket: counted, dropped, state untouched.

A frame that may have carried feed data (not JSON, not a frame, too large, a notification
that does not match the protocol) makes the floor read the feed again on a new connection;
one of a type Floorwatch does not read costs nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live_harness import Live, StartLive, until
from live_platform import FakePlatform
from live_wire import AGENT_NOTIFICATION, CONV_NOTIFICATION

from engine.protocol import normalize_type
from engine.runner import LiveFloor

MAX_FRAME = 16 * 1024
MALFORMED = "malformed"
KNOWN = {CONV_NOTIFICATION, AGENT_NOTIFICATION}
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_WRONG = st.one_of(
    st.lists(st.integers(), min_size=1, max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=4), st.integers(), min_size=1, max_size=3),
)
"""Values no scalar or list-of-object field accepts."""

_CONV_PATHS: list[tuple[str | int, ...]] = [
    ("kind",),
    ("type",),
    ("body",),
    ("body", "changes"),
    ("body", "changes", 0, "type"),
    ("body", "changes", 0, "result"),
    ("body", "changes", 0, "result", "convId"),
    ("body", "changes", 0, "result", "conversationDetails", "state"),
    ("body", "changes", 0, "result", "conversationDetails", "startTs"),
    ("body", "changes", 0, "result", "lastContentEventNotification", "sequence"),
    ("body", "changes", 0, "result", "lastContentEventNotification", "serverTimestamp"),
    ("body", "changes", 0, "result", "lastContentEventNotification", "event", "type"),
]


def _views(floor: LiveFloor) -> tuple[Any, ...]:
    read = floor.service.read
    conversations = sorted(
        (view for conv in read.watched_ids() if (view := read.conversation(conv))),
        key=lambda v: v.conv_id,
    )
    return tuple(conversations), tuple(sorted(read.agents(), key=lambda a: a.agent_id))


@pytest.fixture
async def live(platform: FakePlatform, start_live: StartLive) -> Live:
    """A synced floor with one watched conversation whose thresholds are off (no deadlines)."""
    platform.add_agent("a1")
    platform.open_conversation("c1", "a1")
    platform.consumer_message("c1")
    live = await start_live(
        policy={}, max_frame_bytes=MAX_FRAME, keepalive_interval=60, poll_interval=0.5
    )
    await until(lambda: bool(_views(live.floor)[0]), what="c1 watched")
    return live


async def _send_and_expect_a_drop(
    live: Live, platform: FakePlatform, data: str | bytes, *kinds: str, lost: bool = True
) -> None:
    """Send `data`; the client must count it as one dropped frame of one of `kinds`, and
    (`lost`: it may have carried feed data) read the floor again, nothing having vanished."""
    stats, session = live.floor.stats, live.floor.session
    before, views = copy.copy(stats.dropped), _views(live.floor)
    resyncs = live.types().count("feed.fresh")
    platform.send_raw(data)
    await until(lambda: stats.dropped.total() == before.total() + 1, what="the frame dropped")
    counted = stats.dropped - before
    assert list(counted) in [[kind] for kind in kinds], counted
    if lost:
        fresh_again = lambda: live.types().count("feed.fresh") > resyncs and session.synced  # noqa: E731
        await until(fresh_again, what="the floor read again")
    else:
        assert live.types().count("feed.fresh") == resyncs
    assert _views(live.floor) == views
    assert session.synced


def _valid_change(platform: FakePlatform) -> dict[str, Any]:
    return {
        "kind": "notification",
        "type": CONV_NOTIFICATION,
        "body": {"subscriptionId": "sub-0", "changes": [platform.convs["c1"].change()]},
    }


def _set(frame: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    mutated = copy.deepcopy(frame)
    target: Any = mutated
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return mutated


@FUZZ
@given(data=st.binary(max_size=300))
async def test_random_bytes(live: Live, platform: FakePlatform, data: bytes) -> None:
    await _send_and_expect_a_drop(live, platform, data, MALFORMED)


@FUZZ
@given(cut=st.floats(min_value=0, max_value=0.999))
async def test_truncated_json(live: Live, platform: FakePlatform, cut: float) -> None:
    text = json.dumps(_valid_change(platform))
    await _send_and_expect_a_drop(live, platform, text[: int(len(text) * cut)], MALFORMED)


@FUZZ
@given(path=st.sampled_from(_CONV_PATHS), value=_WRONG)
async def test_wrong_types(
    live: Live, platform: FakePlatform, path: tuple[str | int, ...], value: object
) -> None:
    frame = _set(_valid_change(platform), path, value)
    await _send_and_expect_a_drop(live, platform, json.dumps(frame), MALFORMED, "invalid")


@FUZZ
@given(size=st.integers(min_value=MAX_FRAME + 1, max_value=3 * MAX_FRAME), binary=st.booleans())
async def test_huge_frames(live: Live, platform: FakePlatform, size: int, binary: bool) -> None:
    text = json.dumps(_valid_change(platform))
    padded = text[:-1] + ', "pad": "' + "x" * size + '"}'
    await _send_and_expect_a_drop(live, platform, padded.encode() if binary else padded, MALFORMED)


@FUZZ
@given(name=st.text(max_size=40).filter(lambda n: normalize_type(n) not in KNOWN))
async def test_unknown_notification_types(live: Live, platform: FakePlatform, name: str) -> None:
    frame = _valid_change(platform) | {"type": name}
    await _send_and_expect_a_drop(live, platform, json.dumps(frame), "unknown", lost=False)


async def test_a_frame_beyond_the_socket_limit_costs_one_reconnect(
    live: Live, platform: FakePlatform
) -> None:
    views = _views(live.floor)
    platform.send_raw("x" * (5 * MAX_FRAME))
    await until(lambda: live.floor.stats.dropped["oversized"] == 1, what="socket closed (1009)")
    await until(lambda: live.types().count("feed.fresh") == 2, what="resync")
    assert _views(live.floor) == views
