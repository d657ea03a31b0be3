"""`floorwatch serve-fixtures` and `floorwatch replay --wire` as a user runs them."""

from __future__ import annotations

import json
import re
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

FLOORWATCH = Path(sys.executable).parent / "floorwatch"
SCENARIOS = Path(__file__).parents[2] / "fixtures" / "scenarios"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FLOORWATCH), *args], capture_output=True, text=True, timeout=60, check=False
    )


def short_away_agent(tmp_path: Path, **changes: Any) -> Path:
    """away-agent cut to 40 s (its decision is at 30 s)."""
    scenario = json.loads((SCENARIOS / "away-agent.json").read_text())
    scenario.update({"until": 40, **changes})
    path = tmp_path / "short.json"
    path.write_text(json.dumps(scenario))
    return path


def test_serve_fixtures_prints_its_url_answers_and_stops_on_sigint() -> None:
    process = subprocess.Popen(
        [str(FLOORWATCH), "serve-fixtures", "--scenario", "dry-run", "--speed", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(8)]
        banner = "".join(lines)
        url = re.search(r"CSDS base URL\s+(http://127\.0\.0\.1:\d+)", banner)
        assert url is not None, banner
        assert "account        12345678" in banner
        assert "username       supervisor" in banner
        assert "password       fixture" in banner
        origin = re.search(r"scenario t=0\s+(\d+) \(epoch ms\)", banner)
        assert origin is not None and abs(int(origin[1]) / 1000 - time.time()) < 60
        assert "supervisor step due" in banner  # dry-run's step at t=0
        response = httpx.get(
            f"{url[1]}/api/account/12345678/service/baseURI.json", params={"version": "1.0"}
        )
        assert response.status_code == 200
        assert {e["service"] for e in response.json()["baseURIs"]} >= {
            "agentVep",
            "asyncMessagingEnt",
        }
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "fixture platform stopped" in out
    assert "Traceback" not in err


def test_serve_fixtures_tls_prints_the_ca_file_a_client_trusts() -> None:
    process = subprocess.Popen(
        [str(FLOORWATCH), "serve-fixtures", "--scenario", "dry-run", "--tls"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = "".join(process.stdout.readline() for _ in range(9))
        url = re.search(r"CSDS base URL\s+(https://127\.0\.0\.1:\d+)", banner)
        ca = re.search(r"CA certificate: (\S+)", banner)
        assert url is not None and ca is not None, banner
        lookup = f"{url[1]}/api/account/12345678/service/baseURI.json"
        trusted = httpx.get(lookup, verify=ssl.create_default_context(cafile=ca[1]))
        assert trusted.status_code == 200
        with pytest.raises(httpx.ConnectError):
            httpx.get(lookup)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert not Path(ca[1]).exists()


def test_replay_wire_prints_the_same_json_lines(tmp_path: Path) -> None:
    path = short_away_agent(tmp_path)
    wire = run("replay", str(path), "--wire", "--speed", "40", "--json")
    virtual = run("replay", str(path), "--json")
    assert wire.returncode == 0, wire.stderr
    wire_records = [json.loads(line) for line in wire.stdout.splitlines()]
    virtual_records = [json.loads(line) for line in virtual.stdout.splitlines()]
    assert [r["type"] for r in wire_records] == [r["type"] for r in virtual_records]
    assert all(set(w) == set(v) for w, v in zip(wire_records, virtual_records, strict=True))


def test_replay_wire_exits_1_with_a_diff_when_expect_is_unmet(tmp_path: Path) -> None:
    expect = [{"type": "unassign.decided", "conv": "c1", "reason": "away", "at": 35}]
    result = run(
        "replay", str(short_away_agent(tmp_path, expect=expect)), "--wire", "--speed", "40"
    )
    assert result.returncode == 1
    assert "expected, not produced: at=35.0 type=unassign.decided conv=c1" in result.stderr
    assert "produced, not expected: at=30." in result.stderr


def test_replay_wire_exits_2_for_an_invalid_scenario_or_a_stray_speed(tmp_path: Path) -> None:
    invalid = run("replay", str(short_away_agent(tmp_path, until=-1)), "--wire")
    assert invalid.returncode == 2
    assert "until" in invalid.stderr
    stray = run("replay", "away-agent", "--speed", "5")
    assert stray.returncode == 2
    assert "--speed applies only with --wire" in stray.stderr
