"""The import map: no cycles, no project import hidden in a function, and each stage of the
flow imports only the stages below it (as each package's docstring says)."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "rules")
# The command line's entry point loads a subcommand's modules when that subcommand runs:
# `dealnudge check` and `scan` do not load Slack, the scheduler or PostgreSQL (`scan` of the
# demo: 0.34 s and 37 MB here). Nothing imports it, so it cannot hide a cycle.
LAZY_ENTRY_POINTS = {"bot.cli"}
# Loaded inside the functions that need it, and never at module level: the PostgreSQL
# backend brings psycopg and its pool (about 10 MB a process), which a team on the state
# file, `scan` and `check` never use.
ON_DEMAND = {"bot.state.postgres"}
# What each stage may import (besides itself and the standard library / third parties).
LOWER = {"rules": set(), "bot.settings": set(), "bot.appconfig": {"rules"}}
LOWER["bot.ingest"] = {"rules", "bot.settings"}
LOWER["bot.state"] = {"rules", "bot.settings", "bot.appconfig"}
LOWER["bot.analysis"] = LOWER["bot.state"] | {"bot.ingest", "bot.state"}
LOWER["bot.reports"] = {"rules", "bot.ingest", "bot.analysis"}
LOWER["bot.services"] = LOWER["bot.analysis"] | {"bot.analysis"}
LOWER["bot.slack"] = LOWER["bot.services"] | {"bot.services", "bot.reports"}
LOWER["bot.delivery"] = LOWER["bot.slack"] | {"bot.slack"}
LOWER["bot.runtime"] = LOWER["bot.slack"] | {"bot.slack"}
LOWER["bot.service"] = LOWER["bot.runtime"] | {"bot.runtime", "bot.delivery"}
LOWER["bot.tools"] = LOWER["bot.delivery"] | {"bot.delivery"}
LOWER["bot.cli"] = LOWER["bot.service"] | {"bot.service", "bot.tools"}
LOWER["bot"] = set()  # the package's own __init__


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def resolve(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The project modules an import statement loads."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    for name in names:
        if name.split(".")[0] in PACKAGES:
            assert name in MODULES, f"import of unknown project module {name}"
            yield name


def imports(name: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported at module level, including under TYPE_CHECKING; (line, module) of
    each project import inside a function)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    top: set[str] = set()
    inner: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in resolve(child):
                    (inner.append((child.lineno, target)) if in_function else top.add(target))
            fn = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, in_function or fn)

    visit(tree, False)
    return top, inner


@functools.cache
def graph() -> dict[str, tuple[set[str], list[tuple[int, str]]]]:
    """Every project module's imports (parsed when a test first asks, not at collection)."""
    return {name: imports(name) for name in MODULES}


def stage(name: str) -> str:
    """The stage a module belongs to: its folder under bot/, or the module itself."""
    parts = name.split(".")
    if parts[0] == "rules":
        return "rules"
    return ".".join(parts[:2]) if len(parts) > 1 else name


def test_no_project_import_hides_inside_a_function() -> None:
    hidden = [
        f"{MODULES[name].relative_to(ROOT)}:{line} imports {target} inside a function"
        for name, (_, inner) in graph().items()
        if name not in LAZY_ENTRY_POINTS
        for line, target in inner
        if target not in ON_DEMAND
    ]
    assert not hidden, "\n".join(hidden)


def test_an_on_demand_module_is_never_imported_at_module_level() -> None:
    eager = sorted(name for name, (top, _) in graph().items() if top & ON_DEMAND)
    assert not eager, f"imported at module level by {eager}"


def test_psycopg_loads_only_when_postgresql_is_used() -> None:
    """The serving process, its scheduler and the command line start without psycopg."""
    code = "import sys, bot.runtime, bot.service, bot.cli; print('psycopg' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.stdout.strip() == "False", run.stderr


def test_lazy_entry_points_are_imported_by_nothing() -> None:
    for entry in LAZY_ENTRY_POINTS:
        importers = [name for name, (top, inner) in graph().items() if entry in top]
        importers += [
            name for name, (_, inner) in graph().items() if entry in {t for _, t in inner}
        ]
        assert not importers, f"{entry} is imported by {importers}"


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path (first module repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for target in sorted(edges.get(name, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = walk(target)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return []

    for name in sorted(edges):
        if name not in state:
            found = walk(name)
            if found:
                return found
    return []


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a stage that is not below the importer's."""
    wrong = []
    for name, targets in graph.items():
        here = stage(name)
        assert here in LOWER, f"{name}: stage {here} has no place in the import map"
        for target in targets:
            there = stage(target)
            if there != here and there not in LOWER[here]:
                wrong.append(f"{name} ({here}) imports {target} ({there})")
    return sorted(wrong)


def all_edges() -> dict[str, set[str]]:
    edges = {name: top | {t for _, t in inner} for name, (top, inner) in graph().items()}
    # A package imports its own __init__ when a submodule is imported: not a dependency.
    return {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in edges.items()}


def test_the_import_map_has_no_cycle() -> None:
    cycle = find_cycle(all_edges())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_each_stage_imports_only_the_stages_below_it() -> None:
    wrong = upward(all_edges())
    assert not wrong, "\n".join(wrong)


def test_the_checks_see_a_cycle_and_an_arrow_back_up() -> None:
    edges = all_edges()
    edges["rules.model"] = edges["rules.model"] | {"rules.engine"}  # engine -> ... -> model
    assert find_cycle(edges)[0] == find_cycle(edges)[-1]
    edges = all_edges()
    edges["bot.analysis.snapdir"] = edges["bot.analysis.snapdir"] | {"bot.slack.blocks"}
    assert upward(edges) == [
        "bot.analysis.snapdir (bot.analysis) imports bot.slack.blocks (bot.slack)"
    ]
    _, inner = imports("bot.cli")
    assert inner and "bot.analysis.refresher" in graph()["bot.runtime"][0]
