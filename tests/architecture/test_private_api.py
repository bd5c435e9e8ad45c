"""Public API outside core/db/ (ARCHITECTURE.md, issue 13): no module of src/polmas but those
under core/db/ reads a leading-underscore attribute of Django's, psycopg's or
django-tasks-db's objects.

An attribute access `x._name` is allowed when `_name` is one of our own (defined somewhere in
src/polmas: a function, a class, a class attribute, or an attribute we assign), or public API
that merely starts with an underscore (`Model._meta`, the namedtuple methods). Our own name
that happens to match a library's private one would slip through: the rule is `grep` made
precise, not a proof."""

import ast
from pathlib import Path

import polmas

SRC = Path(polmas.__file__).parent
ROOM = SRC / "core" / "db"
PUBLIC = {"_meta", "_replace", "_asdict", "_fields", "_make"}
# Known, left to their owners (named with the reason, so that nothing else can hide here).
LEFT: dict[tuple[str, str], str] = {}
# Libraries' private names that also name something of ours (field/api.py has a function
# `_out`): read as an attribute they are still caught (Django's OutputWrapper._out).
THEIRS = {"_out"}
# Internals without a leading underscore: the transaction's list of pending callbacks, and
# the task queue's own rows (a task is queued with Task.enqueue(), never written by hand).
INTERNAL_NAMES = {"run_on_commit"}
INTERNAL_MODULES = {"django_tasks_db.models"}


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def own_names(trees: dict[Path, ast.Module]) -> set[str]:
    names: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for sub in ast.walk(target):
                        if isinstance(sub, ast.Attribute):
                            names.add(sub.attr)
                        elif isinstance(sub, ast.Name):
                            names.add(sub.id)
    return {n for n in names if n.startswith("_")}


def private_reads(extra: dict[str, str] | None = None) -> list[str]:
    """`path:line: .name` of each private read; `extra` adds modules (path in src -> source)."""
    trees = {p: ast.parse(p.read_text(), filename=str(p)) for p in modules()}
    trees |= {SRC / name: ast.parse(text) for name, text in (extra or {}).items()}
    ours = own_names(trees)
    found = []
    for path, tree in trees.items():
        if ROOM in path.parents:
            continue
        where = path.relative_to(SRC).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or name.startswith("__") or name in PUBLIC or (
                    name in ours and name not in THEIRS):
                continue
            if (where, name) not in LEFT:
                found.append(f"{where}:{node.lineno}: .{name}")
    return found


def test_nothing_outside_core_db_reads_a_librarys_private_attributes():
    assert private_reads() == []


def test_the_rule_sees_a_private_read_and_lets_core_db_have_it():
    """The check is not blind: `obj._state` outside core/db is caught, inside it is not."""
    code = "def adding(obj):\n    return obj._state.adding\n"
    assert private_reads({"reports/probe.py": code}) == ["reports/probe.py:2: ._state"]
    assert private_reads({"core/db/probe.py": code}) == []


def internal_uses(extra: dict[str, str] | None = None) -> list[str]:
    """`path:line: name` of each use of INTERNAL_NAMES or import of INTERNAL_MODULES outside
    core/db/ (`connection.run_on_commit`, `DBTaskResult` rows rewritten)."""
    trees = {p: ast.parse(p.read_text(), filename=str(p)) for p in modules()}
    trees |= {SRC / name: ast.parse(text) for name, text in (extra or {}).items()}
    found = []
    for path, tree in trees.items():
        if ROOM in path.parents:
            continue
        where = path.relative_to(SRC).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in INTERNAL_NAMES:
                found.append(f"{where}:{node.lineno}: {node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module in INTERNAL_MODULES:
                found.append(f"{where}:{node.lineno}: {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{where}:{node.lineno}: {a.name}" for a in node.names
                          if a.name in INTERNAL_MODULES]
    return found


def test_nothing_outside_core_db_reads_the_callbacks_list_or_writes_task_rows():
    assert internal_uses() == []


def test_the_rule_sees_run_on_commit_and_task_rows():
    code = ("from django.db import connection\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "def pending():\n"
            "    DBTaskResult.objects.filter(status='READY').update(args_kwargs={})\n"
            "    return connection.run_on_commit\n")
    assert internal_uses({"analytics/probe.py": code}) == [
        "analytics/probe.py:2: django_tasks_db.models", "analytics/probe.py:5: run_on_commit"]
    assert internal_uses({"core/db/probe.py": code}) == []


def test_call_command_gets_the_output_wrapper_not_its_stream():
    """simulation/run.py once passed `out._out`; our own function `_out` does not hide it."""
    code = "def run(out):\n    call_command('x', stdout=out._out)\n"
    assert private_reads({"simulation/probe.py": code}) == ["simulation/probe.py:2: ._out"]
