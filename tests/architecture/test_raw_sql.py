"""A room never reads another room's tables with raw SQL (ARCHITECTURE.md): it calls that
room's selectors or querysets.

Every module in src/polmas/<app>/ (migrations aside; core is glue, its generic helpers take
the caller's model) is read for two ways of naming a table in SQL:
- a string (a literal, or the literal parts of an f-string) naming another app's table as a
  word: `FROM reports_report`, `INSERT INTO "cases_case"`;
- `<model>._meta.db_table` where the model is not one of the app's own: a model imported from
  another app, `apps.get_model(...)` of another app's label or of a label only known when it
  runs, or any other value (a generic helper passed some model).

The allowlist is explicit, with the reason, and every entry must still be needed."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

import polmas

SRC = Path(polmas.__file__).parent
GLUE = {"core"}

# module (relative to src/polmas) -> why it may name other apps' tables in SQL.
ALLOWED = {
    "simulation/bulk.py": "the simulation's bulk loader: INSERT .. ON CONFLICT DO NOTHING of "
                          "generated rows into the models it is given (reports, cases, forums, ...)",
    "simulation/national_bulk.py": "the national simulation's loader: prepared INSERTs, the "
                                   "existing client_uuids and ANALYZE of every model it writes",
    "simulation/activities.py": "the simulation's activities: COPY into the activities table on "
                                "PostgreSQL (over a million rows at national scale)",
}


def rooms() -> list[str]:
    return sorted(p.name for p in SRC.iterdir()
                  if p.is_dir() and (p / "apps.py").exists() and p.name not in GLUE)


def tables() -> dict[str, str]:
    """Every table Django knows -> the app label owning it (ours and Django's own)."""
    return {m._meta.db_table: m._meta.app_label for m in apps.get_models(include_auto_created=True)}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return []


def _own_models(module: ast.Module, app: str) -> set[str]:
    """Names bound in the module to the app's own models: imported from its models module,
    or classes defined there."""
    own: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == f"polmas.{app}.models" or (node.level and node.module == "models"):
                own |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.ClassDef):
            own.add(node.name)
    return own


def violations(path: Path, app: str, known: dict[str, str]) -> list[str]:
    module = ast.parse(path.read_text(), str(path))
    foreign = [t for t, label in known.items() if label != app]
    names = "|".join(map(re.escape, sorted(foreign, key=len, reverse=True)))
    pattern = re.compile(r"(?<![\w.])[\"`]?(" + names + r")[\"`]?(?!\w)")
    own = _own_models(module, app)
    found: list[str] = []
    fstring_parts = {id(v) for node in ast.walk(module) if isinstance(node, ast.JoinedStr)
                     for v in node.values}
    for node in ast.walk(module):
        if id(node) in fstring_parts:
            continue  # read with its f-string
        for text in _strings(node):
            for match in pattern.finditer(text):
                found.append(f"line {node.lineno}: names the table {match.group(1)}")
        if (isinstance(node, ast.Attribute) and node.attr == "db_table"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "_meta"):
            owner = node.value.value
            if isinstance(owner, ast.Name) and owner.id in own:
                continue
            if (isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute)
                    and owner.func.attr == "get_model" and owner.args
                    and isinstance(owner.args[0], ast.Constant)
                    and str(owner.args[0].value).split(".")[0] == app):
                continue
            found.append(f"line {node.lineno}: the table of {ast.unparse(owner)}, not a model of {app}")
    return found


def scan() -> dict[str, list[str]]:
    known = tables()
    out: dict[str, list[str]] = {}
    for app in rooms():
        for path in sorted((SRC / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found = violations(path, app, known)
            if found:
                out[str(path.relative_to(SRC))] = found
    return out


def test_no_app_names_another_apps_table_in_raw_sql():
    found = {path: lines for path, lines in scan().items() if path not in ALLOWED}
    assert found == {}


def test_every_allowance_is_still_needed():
    assert sorted(ALLOWED) == sorted(p for p in scan() if p in ALLOWED)


@pytest.mark.parametrize("source, expected", [
    ('from polmas.reports.models import Report\nsql = f"SELECT 1 FROM {Report._meta.db_table}"\n',
     ["the table of Report"]),
    ('from django.apps import apps\nt = apps.get_model("cases.Case")._meta.db_table\n',
     ["the table of apps"]),
    ('def f(label):\n    return apps.get_model(label)._meta.db_table\n', ["the table of apps"]),
    ('cursor.execute("SELECT id FROM reports_report WHERE x = %s", [1])\n', ["reports_report"]),
    ('sql = f\'INSERT INTO "forums_meeting" ({cols}) VALUES (1)\'\n', ["forums_meeting"]),
    # The app's own tables, and words that only look like table names, pass.
    ('from polmas.analytics.models import MonthlyFigures\nt = MonthlyFigures._meta.db_table\n', []),
    ('sql = "SELECT 1 FROM analytics_monthlyfigures"\nname = "reports_reported_total"\n', []),
])
def test_the_scan_sees_what_it_should(tmp_path, source, expected):
    path = tmp_path / "module.py"
    path.write_text(source)
    found = violations(path, "analytics", tables())
    assert len(found) == len(expected)
    for line, want in zip(found, expected, strict=True):
        assert want in line
