"""The command line's live-mode subcommands: `watch` (the dashboard, or headless), `web`
and `config example` (`audit export` is tui/audit_export.py's). Each imports what it runs
inside its own function, as `tui.cli` does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.config import FloorwatchConfig

EXIT_OK, EXIT_ERROR, EXIT_INVALID, EXIT_BAD_CONFIG = 0, 1, 2, 2
NO_CONFIG_HINT = (
    "no config file given: run `floorwatch watch --config FILE`; "
    "`floorwatch config example > floor.yaml` writes one to start from"
)


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
    from engine.config import load_config  # noqa: PLC0415
    from engine.config_file import ConfigError  # noqa: PLC0415
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


def watch(args: argparse.Namespace) -> int:
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


def web(args: argparse.Namespace) -> int:
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


def config_example(_args: argparse.Namespace) -> int:
    from engine.config_example import EXAMPLE_CONFIG  # noqa: PLC0415

    print(EXAMPLE_CONFIG, end="", flush=True)
    return EXIT_OK
