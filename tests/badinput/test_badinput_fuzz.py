"""Fuzzing the two parsers that read untrusted documents: the frame path (envelope, models,
translation, the session) and the scenario loader. Inputs are mutations of real samples (keys
dropped, values swapped for other types, strings full of controls, deep nesting) and raw junk.
Either parser may refuse an input only with its own error; anything else is a defect.

`FUZZ_EXAMPLES` (environment) sets how many inputs each test tries (default 300); the closing
note's figures come from a long run of the same tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.link.session import LinkSession
from fixtures.scenario import SCENARIOS_DIR, ScenarioError, parse_scenario

SAMPLES = sorted((Path(__file__).parents[1] / "samples").glob("*.json"))
SCENARIOS = sorted(SCENARIOS_DIR.glob("*.json"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["", "-1", "OPEN", "CLOSE", "ASSIGNED_AGENT", "\x1b]52;c;x\x07", "[/]"]),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def _mutate(value: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """`value` with some of its parts dropped, retyped, or replaced by junk."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(JSONISH)
    if isinstance(value, dict) and value:
        out = dict(value)
        for key in list(out):
            pick = draw(st.integers(0, 5))
            if pick == 0:
                del out[key]
            elif pick <= 2 and depth < 8:
                out[key] = _mutate(out[key], draw, depth + 1)
        if draw(st.booleans()):
            out[draw(st.text(max_size=10))] = draw(JSONISH)
        return out
    if isinstance(value, list) and value:
        return [_mutate(item, draw, depth + 1) for item in value] * draw(st.integers(0, 3))
    if choice == 1 and depth < 50:
        return [_mutate(value, draw, depth + 1)]
    return value if choice < 5 else draw(SCALARS)


@st.composite
def frames(draw: st.DrawFn) -> str | bytes:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return draw(st.text(max_size=200))
    if kind == 2:
        return "[" * draw(st.integers(1, 5000)) + "]" * draw(st.integers(0, 5000))
    sample = json.loads(draw(st.sampled_from(SAMPLES)).read_text())
    return json.dumps(_mutate(sample, draw), allow_nan=True)


@st.composite
def scenario_documents(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 5)) == 0:
        return draw(JSONISH)
    document = json.loads(draw(st.sampled_from(SCENARIOS)).read_text())
    return _mutate(document, draw)


def _synced_session() -> LinkSession:
    session = LinkSession(brand_id="1234", push_presence=True, max_frame_bytes=20_000)
    for write in session.connected(0.0).writes:
        answer = {"kind": "resp", "reqId": json.loads(write)["id"], "code": 200, "type": "x"}
        session.receive(json.dumps(answer), 0.0)
    assert session.synced
    return session


@FUZZ
@given(raw=st.lists(frames(), min_size=1, max_size=5))
def test_no_frame_breaks_the_session(raw: list[str | bytes]) -> None:
    session = _synced_session()
    for n, frame in enumerate(raw):
        session.receive(frame, 1.0 + n)  # refused frames are counted, never raised
    assert session.stats.frames == len(raw) + 3


@FUZZ
@given(document=scenario_documents())
def test_no_document_breaks_the_scenario_loader(document: object) -> None:
    try:
        parse_scenario(document, "fuzz")
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
