"""The app's layout: no import cycle between its packages (each top-level module counts as one).

A cycle means neither side can be read, tested or moved without the other; the next one
usually comes in as a bottom-of-file or in-function import, so those count here too.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Cycles that exist today and are on their way out; a new one must not join them.
# The Redis helpers (PREFIX, unavailable_on_error) are to move below their users.
KNOWN: set[frozenset] = set()


def node_of(path: Path) -> str:
    """A package of app/ by its name, a top-level module by its own, app/__init__ as "app"."""
    parts = path.relative_to(APP).with_suffix("").parts
    return "app" if parts == ("__init__",) else parts[0]


def is_node(name: str) -> bool:
    return (APP / f"{name}.py").is_file() or (APP / name / "__init__.py").is_file()


def imported(path: Path) -> set[str]:
    """The nodes a module imports, wherever in the module the import stands."""
    parts = list(path.relative_to(APP).with_suffix("").parts)
    package = parts[:-1]  # where `from .` points, for a module and an __init__ alike
    found = set()
    for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                head, _dot, rest = alias.name.partition(".")
                if head == "app" and rest:
                    found.add(rest.split(".")[0])
        elif isinstance(statement, ast.ImportFrom):
            module = (statement.module or "").split(".") if statement.module else []
            if statement.level:
                target = package[: len(package) - statement.level + 1] + module
            elif module[:1] == ["app"]:
                target = module[1:]
            else:
                continue
            if target:
                found.add(target[0])
            else:  # `from . import x` at the top of app/: each name may be a module
                found.update(alias.name for alias in statement.names)
    return {name for name in found if is_node(name)}


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sorted(APP.rglob("*.py")):
        source = node_of(path)
        edges.setdefault(source, set()).update(imported(path) - {source})
    return edges


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_new_import_cycle_between_the_apps_packages():
    new = [sorted(cycle) for cycle in cycles(graph()) if cycle not in KNOWN]
    assert new == [], f"import cycles between app/'s packages: {new}"


def test_chat_depends_on_rooms_and_never_back():
    edges = graph()
    assert "rooms" in edges["chat"] and "chat" not in edges["rooms"]


@pytest.mark.parametrize(
    "edges, expected",
    [
        ({"a": {"b"}, "b": {"a"}}, [{"a", "b"}]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [{"a", "b", "c"}]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
    ids=["two", "three-and-a-user", "none"],
)
def test_the_cycle_finder_finds_cycles(edges, expected):
    assert [set(cycle) for cycle in cycles(edges)] == expected


def test_imports_are_read_wherever_they_stand(tmp_path, monkeypatch):
    # A cycle dodged by an import inside a function is a cycle still.
    app = tmp_path
    (app / "__init__.py").write_text("")
    (app / "one.py").write_text("def f():\n    from . import two\n")
    (app / "two.py").write_text("from .one import f\n")
    (app / "pkg").mkdir()
    (app / "pkg" / "__init__.py").write_text("")
    (app / "pkg" / "mod.py").write_text("from ..one import f\nimport app.two\n")
    monkeypatch.setitem(globals(), "APP", app)
    assert graph() == {"app": set(), "one": {"two"}, "two": {"one"}, "pkg": {"one", "two"}}
