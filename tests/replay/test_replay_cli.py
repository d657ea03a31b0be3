"""`floorwatch replay` as a user runs it: a real subprocess per scenario."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.scenario import list_scenarios

FLOORWATCH = Path(sys.executable).parent / "floorwatch"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FLOORWATCH), *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_there_are_enough_scenarios() -> None:
    assert len(list_scenarios()) >= 16
    assert "showcase" in list_scenarios()


@pytest.mark.parametrize("name", list_scenarios())
def test_scenario_meets_its_expect(name: str) -> None:
    result = run("replay", name, "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, "a replay prints at least the first feed.fresh"
    assert all({"at", "type"} <= set(r) for r in records)
    assert [r["at"] for r in records] == sorted(r["at"] for r in records)


def test_readable_timeline_without_json() -> None:
    result = run("replay", "away-agent")
    assert result.returncode == 0, result.stderr
    assert "unassign.decided" in result.stdout
    assert "conv=c1" in result.stdout
    assert "expect met" in result.stdout


def test_unmet_expectation_exits_1_with_a_diff(tmp_path: Path) -> None:
    scenario = json.loads(
        (Path(__file__).parents[2] / "fixtures/scenarios/away-agent.json").read_text()
    )
    scenario["expect"] = [{"type": "unassign.decided", "conv": "c1", "reason": "away", "at": 45}]
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(scenario))
    result = run("replay", str(path), "--json")
    assert result.returncode == 1
    assert "expected, not produced: at=45.0 type=unassign.decided conv=c1" in result.stderr
    assert "produced, not expected: at=30.0 type=unassign.decided conv=c1" in result.stderr


def test_invalid_scenario_exits_2_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "name": "bad",
                "agents": [{"id": "a1", "name": "Ana", "skills": ["s"], "state": "SLEEPING"}],
                "until": 10,
            }
        )
    )
    result = run("replay", str(path))
    assert result.returncode == 2
    assert "agents[0].state" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_scenario_exits_2() -> None:
    result = run("replay", "no-such-scenario")
    assert result.returncode == 2
    assert "no-such-scenario" in result.stderr
