"""The command line's argument types and parser: messages that name the option.

argparse reports a type that raises `ValueError` as "invalid _speed value"; these raise
`ArgumentTypeError` with the supervisor's words instead, and the parser drops argparse's
"argument " prefix: `floorwatch demo: error: --speed: expected a number, got 'abc'`.
"""

from __future__ import annotations

import argparse
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """An `ArgumentParser` (and, through `add_subparsers`, its subcommands' parsers) whose
    errors begin with the option they are about."""

    def error(self, message: str) -> NoReturn:
        super().error(message.removeprefix("argument "))


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_whole_number(text: str) -> int:
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def port(text: str) -> int:
    value = whole_number(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {text!r}")
    return value
