"""Analytics does not reach intake's SQLite write lock (issue 13): its recount commits in
chunks on its own; nothing of analytics imports a write lock of reports."""

import ast
from pathlib import Path

import polmas

ANALYTICS = Path(polmas.__file__).parent / "analytics"


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def test_analytics_imports_no_write_lock_of_reports():
    reaching = sorted(f"{path.name}: {name}" for path in ANALYTICS.rglob("*.py")
                      for name in imported_modules(path) if name.startswith("polmas.reports.writelock"))
    assert reaching == []


def test_the_walk_reads_analytics_imports():
    assert "polmas.analytics.services.rollups_refresh" in imported_modules(ANALYTICS / "tasks.py")
