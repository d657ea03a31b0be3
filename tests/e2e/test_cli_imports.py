"""Live mode does not depend on the fixtures: the command line imports them only inside the
subcommands that serve them (demo, replay, serve-fixtures, soak)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_COMMANDS = {"_demo", "_replay", "_serve_fixtures", "_soak"}


def _imports(nodes: list[ast.stmt] | list[ast.AST]) -> list[str]:
    names: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.append(node.module)
    return names


def test_the_command_line_imports_fixtures_only_in_the_fixture_subcommands() -> None:
    tree = ast.parse((ROOT / "tui" / "cli.py").read_text(encoding="utf-8"))
    fixtures_at_top = [m for m in _imports(tree.body) if m.partition(".")[0] == "fixtures"]
    assert fixtures_at_top == []
    importing = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(m.startswith(("fixtures", "tui.demo")) for m in _imports(list(ast.walk(node))))
    }
    assert importing <= FIXTURE_COMMANDS
