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
LEFT = {
    ("simulation/run.py", "_out"): "Django's OutputWrapper's stream, for call_command's stdout",
}


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
            if not name.startswith("_") or name.startswith("__") or name in PUBLIC or name in ours:
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
