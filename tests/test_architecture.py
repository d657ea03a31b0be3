"""The import directions of DESIGN.md, checked on the source (AST), for the whole repository.

Imports point one way: tui -> engine.service (and engine.core types); engine.service ->
engine.link, engine.store, engine.core; engine.link -> engine.protocol, engine.core;
engine.store -> engine.core; fixtures.platform -> engine.protocol (and fixtures.scenario).
engine.core imports nothing of ours; tui never imports engine.link, engine.store or fixtures
except where the CLI starts the demo. A package that does not exist yet is skipped.
engine.core is also pure: standard library only, no I/O, no asyncio, no clock reads.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = frozenset({"engine", "tui", "fixtures", "bench", "tests"})
"""Top-level packages of this repository; anything else is the standard library or a
third-party dependency, which these rules leave alone."""


@dataclass(frozen=True)
class Rule:
    package: str
    """Dotted name of a package or module; the rule covers it and everything under it."""
    may_import: tuple[str, ...]
    """Our packages it may import besides what it covers itself."""
    exempt: tuple[str, ...] = ()
    """Modules under `package` that the rule does not cover (they have a rule of their own)."""

    def covers(self, module: str) -> bool:
        return _within(module, self.package) and not any(_within(module, e) for e in self.exempt)

    def allows(self, imported: str) -> bool:
        if imported.partition(".")[0] not in OURS:
            return True
        if any(_within(imported, p) for p in self.may_import):
            return True
        return self.covers(imported)


COMMAND_LINE = ("tui.cli", "tui.demo", "tui.live")
SERVICE_LAYER = ("engine.link", "engine.store", "engine.core")
PACKAGES_UNDER_ENGINE = ("engine.core", "engine.protocol", "engine.link", "engine.store")

RULES = (
    Rule("engine.core", ()),
    Rule("engine.protocol", ()),
    Rule("engine.store", ("engine.core",)),
    Rule("engine.link", ("engine.protocol", "engine.core")),
    Rule("engine.service", SERVICE_LAYER),
    # engine.service and the modules beside it (config, runner...) are the service layer
    Rule("engine", SERVICE_LAYER, exempt=PACKAGES_UNDER_ENGINE),
    Rule("fixtures.platform", ("engine.protocol", "fixtures.scenario")),
    Rule("tui", ("engine.service", "engine.core"), exempt=COMMAND_LINE),
    # the command line starts the demo, live mode and replays: it wires everything
    *(Rule(module, ("tui", "engine", "fixtures")) for module in COMMAND_LINE),
)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Absolute names of every module imported anywhere in `source` (relative ones resolved)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                names.append(".".join([*base, *([node.module] if node.module else [])]))
            elif node.module is not None:
                names.append(node.module)
    return names


def source_files() -> list[Path]:
    files: list[Path] = []
    for top in sorted(OURS - {"tests"}):
        base = ROOT / top
        if base.is_dir():
            files.extend(p for p in sorted(base.rglob("*.py")) if ".venv" not in p.parts)
    return files


def violations(rule: Rule, files: list[Path]) -> list[str]:
    found: list[str] = []
    for path in files:
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        for imported in imported_modules(source, module, is_package=path.name == "__init__.py"):
            if not rule.allows(imported):
                found.append(f"{path.relative_to(ROOT)}: {module} imports {imported}")
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.package)
def test_imports_point_one_way(rule: Rule) -> None:
    files = [p for p in source_files() if rule.covers(module_name(p))]
    if not files:
        pytest.skip(f"{rule.package} does not exist yet")
    assert violations(rule, files) == []


def test_the_service_layer_may_not_reach_the_protocol_or_fixtures() -> None:
    rule = next(r for r in RULES if r.package == "engine")
    assert rule.covers("engine.runner")
    assert not rule.covers("engine.core.plan")
    assert rule.allows("engine.service") and rule.allows("engine.link.client")
    assert not rule.allows("engine.protocol.envelope")
    assert not rule.allows("fixtures.platform")
    assert not rule.allows("tui.app")


def test_relative_imports_are_resolved() -> None:
    source = "from . import plan\nfrom .plan import Wait\nfrom ..protocol import names\n"
    assert imported_modules(source, "engine.core.engine") == [
        "engine.core",
        "engine.core.plan",
        "engine.protocol",
    ]
    assert imported_modules("from .model import X\n", "engine.core", is_package=True) == [
        "engine.core.model"
    ]


def test_a_forbidden_import_is_reported(tmp_path: Path) -> None:
    core = tmp_path / "engine" / "core"
    core.mkdir(parents=True)
    bad = core / "bad.py"
    bad.write_text("import json\nfrom engine.store import audit_log\nimport pydantic\n")
    rule = RULES[0]
    module = module_name(bad, tmp_path)
    assert rule.covers(module)
    found = [m for m in imported_modules(bad.read_text(), module) if not rule.allows(m)]
    assert found == ["engine.store"]


# ---------------------------------------------------------------- engine.core is pure

CORE = ROOT / "engine" / "core"
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


def _imports(path: Path) -> list[str]:
    """Absolute names of every module the engine.core file imports."""
    source = path.read_text(encoding="utf-8")
    return imported_modules(source, module_name(path), is_package=path.name == "__init__.py")


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
