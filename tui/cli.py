"""The `floorwatch` command line.

Each subcommand imports what it runs inside its own function, so `floorwatch --help` (and an
argument error) loads argparse and little else, `floorwatch replay` never loads Textual, and
only a command that shows a screen imports the app. The fixtures (the fixture platform,
scenarios, replays, the soak) are imported only inside the subcommands that serve them: live
mode does not depend on them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.audit_export import add_audit_commands
from tui.cli_args import Parser, port, positive_number, positive_whole_number, whole_number
from tui.cli_live import config_example, watch, web

EXIT_OK, EXIT_INVALID = 0, 2
EXIT_ERROR = 1


def _replay(args: argparse.Namespace) -> int:
    from fixtures.console import run_replay  # noqa: PLC0415

    if args.speed is not None and not args.wire:
        print("--speed applies only with --wire", file=sys.stderr)
        return EXIT_INVALID
    return run_replay(args.scenario, as_json=args.json, wire=args.wire, speed=args.speed)


def _serve_fixtures(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415

    from fixtures.console import load_or_report, serve_until_stopped  # noqa: PLC0415

    scenario = load_or_report(args.scenario)
    if scenario is None:
        return EXIT_INVALID
    return asyncio.run(
        serve_until_stopped(
            scenario, args.host, args.port, args.speed, tls=args.tls, supervisors=args.supervisors
        )
    )


# ---------------------------------------------------------------------- live: demo and watch


def _demo(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415
    import os  # noqa: PLC0415

    from fixtures.console import load_or_report  # noqa: PLC0415

    scenario = load_or_report(args.scenario)
    if scenario is None:
        return EXIT_INVALID
    if args.team is None:
        from tui.demo import run_demo  # noqa: PLC0415

        return asyncio.run(run_demo(scenario, args.speed))
    from tui.demo_team import run_team_demo, start_in_tmux  # noqa: PLC0415

    if args.speed != 1.0:
        print("--team runs at real time: leave --speed out", file=sys.stderr)
        return EXIT_INVALID
    if "TMUX" not in os.environ:
        return start_in_tmux(["demo", "--team", str(args.team), "--scenario", args.scenario])
    return asyncio.run(run_team_demo(scenario, args.team))


def _soak(args: argparse.Namespace) -> int:
    """Exit 0 when the oracle found nothing wrong and nothing missed, else 1."""
    import asyncio  # noqa: PLC0415

    from fixtures.soak import DEFAULT_SPEED, run_soak  # noqa: PLC0415
    from fixtures.wire import WireError  # noqa: PLC0415

    if args.team is not None:
        return _soak_team(args)
    speed = DEFAULT_SPEED if args.speed is None else args.speed
    try:
        report = asyncio.run(run_soak(args.seed, args.minutes, speed=speed))
    except WireError as exc:
        print(f"soak seed {args.seed}: the live client failed: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print("\n".join(report.lines()), flush=True)
    if args.trace is not None:
        args.trace.write_text("".join(f"{line}\n" for line in report.story))
    return EXIT_OK if report.ok else EXIT_ERROR


def _soak_team(args: argparse.Namespace) -> int:
    """The soak on a team floor: real `watch` processes at real time (no --speed)."""
    import asyncio  # noqa: PLC0415

    from fixtures.postgres import PostgresUnavailableError  # noqa: PLC0415
    from fixtures.soak_team import run_team_soak  # noqa: PLC0415

    if args.speed is not None:
        print("--team runs at real time: leave --speed out", file=sys.stderr)
        return EXIT_INVALID
    try:
        report = asyncio.run(run_team_soak(args.seed, args.minutes, engines=args.team))
    except (PostgresUnavailableError, RuntimeError) as exc:
        print(f"team soak seed {args.seed}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print("\n".join(report.lines()), flush=True)
    return EXIT_OK if report.ok else EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="floorwatch", description="Automatic agent unassign for contact-center floors."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    replay_cmd = commands.add_parser(
        "replay", help="run a scenario on a virtual clock and print its audit trail"
    )
    replay_cmd.add_argument("scenario", help="a scenario name from fixtures/scenarios, or a file")
    replay_cmd.add_argument("--json", action="store_true", help="one JSON object per audit event")
    replay_cmd.add_argument(
        "--wire",
        action="store_true",
        help="play it through real sockets on loopback with the live client",
    )
    replay_cmd.add_argument(
        "--speed",
        type=positive_number,
        help="with --wire: times real time (default: the wire replay's, 10)",
    )
    replay_cmd.set_defaults(run=_replay)
    serve_cmd = commands.add_parser(
        "serve-fixtures", help="run the fixture platform alone on loopback"
    )
    serve_cmd.add_argument(
        "--scenario", default="showcase", help="a scenario name or file (default showcase)"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve_cmd.add_argument(
        "--port", type=port, default=0, help="CSDS/REST port (default 0: a free one)"
    )
    serve_cmd.add_argument("--speed", type=positive_number, default=1.0, help="times real time")
    serve_cmd.add_argument(
        "--tls",
        action="store_true",
        help="https and wss, with a certificate from a CA made at start (its file is printed)",
    )
    serve_cmd.add_argument(
        "--supervisors",
        type=positive_whole_number,
        default=1,
        help="how many supervisors may log in at once, each their own user (default 1: "
        "supervisor/fixture; then supervisor2/fixture2 ...)",
    )
    serve_cmd.set_defaults(run=_serve_fixtures)
    demo_cmd = commands.add_parser(
        "demo", help="the dashboard on the fixture platform (loopback, no account needed)"
    )
    demo_cmd.add_argument(
        "--scenario", default="showcase", help="a scenario name or file (default showcase)"
    )
    demo_cmd.add_argument(
        "--speed", type=positive_number, default=1.0, help="times real time (default 1)"
    )
    demo_cmd.add_argument(
        "--team",
        type=positive_whole_number,
        metavar="N",
        help="N dashboards on one floor (a private PostgreSQL), each in a tmux pane: one "
        "acts, the others watch",
    )
    demo_cmd.set_defaults(run=_demo)
    watch_cmd = commands.add_parser("watch", help="live mode: the dashboard on your account")
    watch_cmd.add_argument(
        "--config",
        type=Path,
        help="a YAML, JSON or TOML settings file (FLOORWATCH_* variables override it)",
    )
    watch_cmd.add_argument(
        "--headless",
        action="store_true",
        help="no dashboard: print one JSON line per audit event until SIGINT/SIGTERM",
    )
    watch_cmd.add_argument(
        "--commands",
        action="store_true",
        help="with --headless: read supervisor commands from stdin, one JSON object a line "
        '(e.g. {"hold": "c1"}, {"extend": {"conv": "c1", "seconds": 60}}, {"policy": {...}})',
    )
    watch_cmd.set_defaults(run=watch)
    web_cmd = commands.add_parser(
        "web", help="the dashboard in a browser: each tab its own session (textual-serve)"
    )
    source = web_cmd.add_mutually_exclusive_group()
    source.add_argument("--config", type=Path, help="the settings file, as for `watch`")
    source.add_argument("--demo", action="store_true", help="the demo floor in every tab")
    web_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    web_cmd.add_argument(
        "--port", type=port, default=8000, help="port (default 8000; 0: a free one)"
    )
    web_cmd.add_argument(
        "--token",
        help="every request must carry it (?token=); needed off loopback (or FLOORWATCH_WEB_TOKEN)",
    )
    web_cmd.set_defaults(run=web)
    soak_cmd = commands.add_parser(
        "soak", help="a random floor with faults over loopback, judged by the oracle"
    )
    soak_cmd.add_argument(
        "--minutes", type=positive_number, default=10.0, help="floor time in minutes (default 10)"
    )
    soak_cmd.add_argument("--seed", type=whole_number, default=1, help="the random floor's seed")
    soak_cmd.add_argument(
        "--speed", type=positive_number, help="times real time (default: the soak's, 10)"
    )
    soak_cmd.add_argument(
        "--team",
        type=positive_whole_number,
        metavar="N",
        help="N watch processes on one floor of a private PostgreSQL, at real time, with "
        "engine kills, pauses and database restarts among the faults",
    )
    soak_cmd.add_argument(
        "--trace",
        type=Path,
        metavar="FILE",
        help="write each wrong or missed decision's story there (record, steps, audit)",
    )
    soak_cmd.set_defaults(run=_soak)
    add_audit_commands(commands)
    config_cmd = commands.add_parser("config", help="live-mode settings")
    config_commands = config_cmd.add_subparsers(dest="config_command", required=True)
    config_commands.add_parser(
        "example", help="print a commented example config to start from (YAML)"
    ).set_defaults(run=config_example)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
