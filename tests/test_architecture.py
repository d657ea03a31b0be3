"""The import directions of the README's import map, checked on the source (AST).

Imports point one way: tui -> engine.service, engine.status and engine.core types;
engine.service and the modules beside it (runner, config, status) -> engine.link,
engine.store, engine.core; engine.link -> engine.protocol, engine.core; engine.store ->
engine.core; fixtures.platform -> engine.protocol (and fixtures.scenario); fixtures -> engine.
engine.core imports nothing of ours and is pure: standard library only, no I/O, no asyncio,
no clock reads. Nothing under engine imports fixtures; tui imports fixtures only in the
demo's starter and, lazily, inside the command-line functions of the subcommands that serve
fixtures. Every package a rule names must exist: a rename fails the test, never skips it.
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


COMMAND_LINE = (
    "tui.cli",
    "tui.cli_live",
    "tui.demo",
    "tui.demo_team",
    "tui.headless",
    "tui.live",
    "tui.audit_export",
)
SERVICE_LAYER = ("engine.link", "engine.store", "engine.core")
PACKAGES_UNDER_ENGINE = ("engine.core", "engine.protocol", "engine.link", "engine.store")
FIXTURE_SUBCOMMANDS = frozenset({"_demo", "_replay", "_serve_fixtures", "_soak", "_soak_team"})
"""The functions of tui.cli that may import fixtures, inside their bodies (lazily)."""

RULES = (
    Rule("engine.core", ()),
    Rule("engine.protocol", ()),
    Rule("engine.store", ("engine.core",)),
    Rule("engine.link", ("engine.protocol", "engine.core")),
    # ... and its team floor's part (engine.team.floor), which the team's opening wires
    Rule("engine.service", (*SERVICE_LAYER, "engine.team.floor")),
    # engine.service and the modules beside it (config, runner, status...) are the service layer
    Rule("engine", SERVICE_LAYER, exempt=PACKAGES_UNDER_ENGINE),
    Rule("fixtures.platform", ("engine.protocol", "fixtures.scenario")),
    Rule("fixtures", ("engine", "fixtures.platform"), exempt=("fixtures.platform",)),
    Rule("tui", ("engine.service", "engine.status", "engine.core"), exempt=COMMAND_LINE),
    # the command line starts live mode: it wires the engine and the app
    Rule("tui.live", ("tui", "engine")),
    Rule("tui.cli", ("tui", "engine")),
    Rule("tui.cli_live", ("tui", "engine")),
    Rule("tui.headless", ("tui", "engine")),
    Rule("tui.audit_export", ("tui", "engine.store")),  # the log from the file or the floor
    # the demo's starter serves the fixture platform
    Rule("tui.demo", ("tui", "engine", "fixtures")),
    Rule("tui.demo_team", ("tui", "engine", "fixtures")),
)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(
    source: str, module: str, *, is_package: bool = False, top_level: bool = False
) -> list[str]:
    """Absolute names of every module imported in `source` (relative ones resolved): anywhere,
    or with `top_level` only outside function bodies."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: list[str] = []
    for node in _import_nodes(ast.parse(source), top_level=top_level):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                names.append(".".join([*base, *([node.module] if node.module else [])]))
            elif node.module is not None:
                names.append(node.module)
    return names


def _import_nodes(tree: ast.AST, *, top_level: bool) -> list[ast.stmt]:
    if not top_level:
        return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    found: list[ast.stmt] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def lazy_imports(source: str, module: str) -> dict[str, list[str]]:
    """The modules each top-level function imports inside its body."""
    found: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = ast.Module(body=node.body, type_ignores=[])
            found[node.name] = imported_modules(ast.unparse(body), module)
    return found


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


def violations_at_top(rule: Rule, files: list[Path]) -> list[str]:
    found: list[str] = []
    for path in files:
        module = module_name(path)
        source = path.read_text(encoding="utf-8")
        for imported in imported_modules(source, module, top_level=True):
            if not rule.allows(imported):
                found.append(f"{path.relative_to(ROOT)}: {module} imports {imported}")
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.package)
def test_imports_point_one_way(rule: Rule) -> None:
    files = [p for p in source_files() if rule.covers(module_name(p))]
    assert files, f"{rule.package} does not exist: the rule names a package that is gone"
    check = violations_at_top if rule.package == "tui.cli" else violations
    assert check(rule, files) == []


def test_the_command_line_does_not_load_the_demo_at_import() -> None:
    """tui.demo serves the fixtures: live mode must not load it either."""
    path = ROOT / "tui" / "cli.py"
    top = imported_modules(path.read_text(encoding="utf-8"), "tui.cli", top_level=True)
    assert [m for m in top if _within(m, "tui.demo")] == []


def test_the_command_line_imports_fixtures_only_inside_the_subcommands_that_serve_them() -> None:
    path = ROOT / "tui" / "cli.py"
    lazy = lazy_imports(path.read_text(encoding="utf-8"), "tui.cli")
    importing = {
        name
        for name, modules in lazy.items()
        if any(_within(m, "fixtures") or _within(m, "tui.demo") for m in modules)
    }
    assert importing, "the fixture subcommands are expected to import fixtures lazily"
    assert importing <= FIXTURE_SUBCOMMANDS


def test_a_rule_on_a_missing_package_fails_rather_than_skips(tmp_path: Path) -> None:
    rule = Rule("engine.nothing_here", ())
    files = [p for p in source_files() if rule.covers(module_name(p))]
    assert files == []


def test_top_level_imports_leave_out_function_bodies() -> None:
    source = "import json\ndef run():\n    import fixtures.soak\nclass A:\n    import os\n"
    assert imported_modules(source, "tui.cli", top_level=True) == ["json", "os"]
    assert lazy_imports(source, "tui.cli") == {"run": ["fixtures.soak"]}


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
    names = _imports(CORE / "supervision.py")
    assert "engine.core.holds" in names
    assert "json" in names
