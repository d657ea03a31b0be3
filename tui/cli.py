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
from typing import TYPE_CHECKING

from tui.audit_export import add_audit_commands
from tui.cli_args import Parser, port, positive_number, whole_number

if TYPE_CHECKING:
    from engine.config import FloorwatchConfig

EXIT_OK, EXIT_INVALID = 0, 2
EXIT_ERROR = 1
EXIT_BAD_CONFIG = 2
NO_CONFIG_HINT = (
    "no config file given: run `floorwatch watch --config FILE`; "
    "`floorwatch config example > floor.yaml` writes one to start from"
)


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
        serve_until_stopped(scenario, args.host, args.port, args.speed, tls=args.tls)
    )


# ---------------------------------------------------------------------- live: demo and watch


def _demo(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415

    from fixtures.console import load_or_report  # noqa: PLC0415
    from tui.demo import run_demo  # noqa: PLC0415

    scenario = load_or_report(args.scenario)
    if scenario is None:
        return EXIT_INVALID
    return asyncio.run(run_demo(scenario, args.speed))


async def _watch_tui(config: FloorwatchConfig) -> int:
    from engine.runner import LiveFloor  # noqa: PLC0415
    from tui.live import dashboard  # noqa: PLC0415

    floor = LiveFloor.open(config)
    try:
        return await dashboard(floor, config.keymap)
    finally:
        floor.close()


def _watch_config(path: Path | None) -> FloorwatchConfig | None:
    """The settings `watch` runs on, checked; None (with why on stderr) when they are invalid."""
    from engine.config import ConfigError, load_config  # noqa: PLC0415
    from tui.live import check_keymap, print_config_error  # noqa: PLC0415

    try:
        config = load_config(path)
        check_keymap(config)
    except ConfigError as exc:
        print_config_error(exc)
        if path is None:
            print(NO_CONFIG_HINT, file=sys.stderr)
        return None
    return config


def _watch(args: argparse.Namespace) -> int:
    import asyncio  # noqa: PLC0415

    from engine.store import StorageFaultError, StoreError  # noqa: PLC0415

    config = _watch_config(args.config)
    if config is None:
        return EXIT_BAD_CONFIG
    if args.commands and not args.headless:
        print("--commands applies only with --headless", file=sys.stderr)
        return EXIT_BAD_CONFIG
    try:
        if args.headless:
            from tui.headless import watch_headless  # noqa: PLC0415

            return asyncio.run(watch_headless(config, args.commands))
        return asyncio.run(_watch_tui(config))
    except StorageFaultError as exc:  # a full disk (or a lost file) says so, with the path
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    except StoreError as exc:
        print(f"cannot open the data file: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _web(args: argparse.Namespace) -> int:
    """Serve the dashboard (`watch`, or the demo) to browsers, one session process a tab; the
    settings every tab's `watch` loads are checked once, before serving any."""
    import asyncio  # noqa: PLC0415
    import os  # noqa: PLC0415

    from tui.web.server import TOKEN_ENV, WebServer, listen_problem, serve  # noqa: PLC0415

    token = args.token if args.token is not None else os.environ.get(TOKEN_ENV)
    problem = listen_problem(args.host, token)
    if problem is not None:
        print(f"floorwatch web: {problem}", file=sys.stderr)
        return EXIT_INVALID
    if not args.demo and _watch_config(args.config) is None:
        return EXIT_BAD_CONFIG
    server = WebServer.for_floorwatch(demo=args.demo, config=args.config, token=token)
    return asyncio.run(serve(server, args.host, args.port))


def _soak(args: argparse.Namespace) -> int:
    """Exit 0 when the oracle found nothing wrong and nothing missed, else 1."""
    import asyncio  # noqa: PLC0415

    from fixtures.soak import DEFAULT_SPEED, run_soak  # noqa: PLC0415
    from fixtures.wire import WireError  # noqa: PLC0415

    speed = DEFAULT_SPEED if args.speed is None else args.speed
    try:
        report = asyncio.run(run_soak(args.seed, args.minutes, speed=speed))
    except WireError as exc:
        print(f"soak seed {args.seed}: the live client failed: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print("\n".join(report.lines()), flush=True)
    return EXIT_OK if report.ok else EXIT_ERROR


def _config_example(_args: argparse.Namespace) -> int:
    from engine.config_example import EXAMPLE_CONFIG  # noqa: PLC0415

    print(EXAMPLE_CONFIG, end="", flush=True)
    return EXIT_OK


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
    watch_cmd.set_defaults(run=_watch)
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
    web_cmd.set_defaults(run=_web)
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
    soak_cmd.set_defaults(run=_soak)
    add_audit_commands(commands)
    config_cmd = commands.add_parser("config", help="live-mode settings")
    config_commands = config_cmd.add_subparsers(dest="config_command", required=True)
    config_commands.add_parser(
        "example", help="print a commented example config to start from (YAML)"
    ).set_defaults(run=_config_example)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
