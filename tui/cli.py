"""The `floorwatch` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from fixtures.replay import replay
from fixtures.scenario import ScenarioError, load_scenario

EXIT_OK, EXIT_EXPECT_UNMET, EXIT_INVALID = 0, 1, 2


def _timeline_line(record: dict[str, Any]) -> str:
    parts = [f"{record['at']:>9.3f}s", f"{record['type']:<22}"]
    for key in ("conv", "agent", "reason"):
        if key in record:
            parts.append(f"{key}={record[key]}")
    if record.get("by", "engine") != "engine":
        parts.append(f"by={record['by']}")
    if "detail" in record:
        parts.append(f"({record['detail']})")
    return "  ".join(parts)


def _replay(args: argparse.Namespace) -> int:
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as exc:
        print(f"invalid scenario: {exc}", file=sys.stderr)
        return EXIT_INVALID

    def show(record: dict[str, Any]) -> None:
        line = json.dumps(record) if args.json else _timeline_line(record)
        print(line)

    if not args.json:
        print(f"scenario {scenario.name}: {scenario.description}")
    result = replay(scenario, on_record=show)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.stats.dropped_total:
        print(f"frames dropped: {dict(result.stats.dropped)}", file=sys.stderr)
    if not result.report.met:
        print(f"scenario {scenario.name}: expect not met", file=sys.stderr)
        for line in result.report.diff_lines():
            print(f"  {line}", file=sys.stderr)
        return EXIT_EXPECT_UNMET
    if not args.json:
        print(f"scenario {scenario.name}: expect met ({len(scenario.expect)} events)")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="floorwatch", description="Automatic agent unassign for contact-center floors."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    replay_cmd = commands.add_parser(
        "replay", help="run a scenario on a virtual clock and print its audit trail"
    )
    replay_cmd.add_argument("scenario", help="a scenario name from fixtures/scenarios, or a file")
    replay_cmd.add_argument("--json", action="store_true", help="one JSON object per audit event")
    replay_cmd.set_defaults(run=_replay)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
