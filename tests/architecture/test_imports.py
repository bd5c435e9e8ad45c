"""The import picture of the rooms (ARCHITECTURE.md): two apps never import each other.

Every `import polmas.X` / `from polmas.X... import` in src/polmas/<app>/ (module level or
inside a function, migrations aside) is an edge app -> X. core, settings and the project's
top-level modules (api, urls, cli, env, wsgi) are glue, not rooms."""

import ast
import itertools
from pathlib import Path

import polmas

SRC = Path(polmas.__file__).parent
GLUE = {"core", "api", "urls", "cli", "env", "settings", "wsgi", "locale"}


def rooms() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "apps.py").exists())


def imported_rooms(module: ast.Module, names: set[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(module):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [node.module]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        for target in targets:
            parts = target.split(".")
            if parts[0] == "polmas" and len(parts) > 1 and parts[1] in names:
                found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    names = set(rooms())
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name in names:
        for path in (SRC / name).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            graph[name] |= imported_rooms(ast.parse(path.read_text(), str(path)), names) - {name}
    return graph


def test_the_graph_sees_real_edges():
    graph = import_graph()
    assert "regions" in graph["policing"]  # a known edge: the walk finds imports at all
    assert not graph["regions"] - GLUE  # regions imports nothing of ours


def test_no_two_apps_import_each_other():
    graph = import_graph()
    ties = sorted(f"{a} <-> {b}" for a, b in itertools.combinations(sorted(graph), 2)
                  if b in graph[a] and a in graph[b])
    assert ties == []
