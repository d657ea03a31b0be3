"""`floorwatch audit export`: the audit log to stdout as CSV or JSON lines, from the data file
or, on a team floor, from its shared store in PostgreSQL (the whole floor's story: every
engine's and every supervisor's events).

The store's URL comes from `FLOORWATCH_STORE` only, as in live mode: it may hold a password,
which a command line would show to anyone listing processes."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli_args import Parser

if TYPE_CHECKING:
    from engine.store.contract import FloorStore

EXIT_OK, EXIT_ERROR = 0, 1
STORE_VARIABLE, FLOOR_VARIABLE = "FLOORWATCH_STORE", "FLOORWATCH_FLOOR"


def add_audit_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    audit_cmd = commands.add_parser("audit", help="the audit log in the data file")
    audit_commands = audit_cmd.add_subparsers(dest="audit_command", required=True)
    export_cmd = audit_commands.add_parser(
        "export",
        help="write the audit log to stdout",
        description=f"The data file's audit log; with {STORE_VARIABLE} set (and no --data), "
        f"the team floor's log in PostgreSQL (the floor: --floor, else {FLOOR_VARIABLE}, "
        "else 'default').",
    )
    export_cmd.add_argument(
        "--data", type=Path, help="the data file (default: the one the dashboard uses)"
    )
    export_cmd.add_argument("--floor", help=f"the team floor (default: ${FLOOR_VARIABLE})")
    export_cmd.add_argument(
        "--format", choices=("csv", "jsonl"), default="csv", help="csv (default) or jsonl"
    )
    export_cmd.set_defaults(run=export_audit)


def export_audit(args: argparse.Namespace) -> int:
    from engine.store import StoreError  # noqa: PLC0415

    url = os.environ.get(STORE_VARIABLE, "")
    try:
        store = _open_floor(url, args.floor) if url and args.data is None else _open_file(args)
        try:
            if args.format == "jsonl":
                store.export_jsonl(sys.stdout)
            else:
                store.export_csv(sys.stdout)
        finally:
            store.close()
    except StoreError as exc:
        print(f"audit export: {exc}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.flush()
    return EXIT_OK


def _open_file(args: argparse.Namespace) -> FloorStore:
    from engine.store import Store, default_data_path  # noqa: PLC0415

    return Store.open(args.data if args.data is not None else default_data_path(), read_only=True)


def _open_floor(url: str, floor: str | None) -> FloorStore:
    from engine.store.pg import PgStore  # noqa: PLC0415

    reader = getpass.getuser()
    return PgStore.open(
        url,
        floor=floor or os.environ.get(FLOOR_VARIABLE) or "default",
        engine=f"audit-export:{reader}",
        supervisor=reader,
    )
