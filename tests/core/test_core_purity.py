"""engine/core is pure: standard library and engine.core only, no I/O, no asyncio, no clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "engine" / "core"
CORE_FILES = sorted(CORE.rglob("*.py"))

IMPURE_MODULES = frozenset(
    {
        "asyncio",
        "time",
        "os",
        "io",
        "socket",
        "sqlite3",
        "threading",
        "multiprocessing",
        "subprocess",
        "random",
        "pathlib",
        "shutil",
        "tempfile",
        "select",
        "selectors",
        "signal",
        "urllib",
        "http",
        "logging",
        "sys",
    }
)
"""Standard-library modules that mean I/O, concurrency, randomness or a clock."""

IMPURE_CALLS = frozenset({"open", "print", "input", "now", "utcnow", "today", "monotonic"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Absolute names of every module imported anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                names.append(".".join([*base, *([node.module] if node.module else [])]))
            elif node.module is not None:
                names.append(node.module)
    return names


def test_engine_core_exists() -> None:
    assert CORE_FILES, f"no Python files under {CORE}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_core_imports_only_the_standard_library_and_itself(path: Path) -> None:
    foreign = [
        name
        for name in _imports(path)
        if name != "engine.core"
        and not name.startswith("engine.core.")
        and name.split(".")[0] not in sys.stdlib_module_names
    ]
    assert foreign == [], f"{path.name} imports {foreign}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_core_does_no_io_and_reads_no_clock(path: Path) -> None:
    impure = sorted({name for name in _imports(path) if name.split(".")[0] in IMPURE_MODULES})
    assert impure == [], f"{path.name} imports {impure}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = sorted(
        {
            f"line {node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id in IMPURE_CALLS)
                or (isinstance(node.func, ast.Attribute) and node.func.attr in IMPURE_CALLS)
            )
        }
    )
    assert calls == [], f"{path.name} calls I/O or a clock at {calls}"


def test_the_import_reader_sees_the_cores_own_imports() -> None:
    names = _imports(CORE / "engine.py")
    assert "engine.core.plan" in names
    assert "json" in names
