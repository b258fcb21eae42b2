"""The package's modules import one another without cycles, at module level or inside
functions alike: each stage builds only on the ones before it."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(name: str, source: str, modules: set[str], is_package: bool = False) -> set[str]:
    """The ``modules`` that module ``name`` imports anywhere in its ``source``."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:  # ``from pkg import module`` imports the module, else pkg's name
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {
        module_name(p): imports_of(
            module_name(p), p.read_text(encoding="utf-8"), modules, p.name == "__init__.py"
        )
        for p in paths
    }


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as e:
        return list(e.args[1])
    return None


def test_the_package_has_no_import_cycles():
    graph = import_graph()
    assert len(graph) > 20 and graph["generator.build"] >= {"generator.render", "generator.write"}
    assert cycle_in(graph) is None


def test_imports_inside_functions_and_relative_ones_count():
    modules = {"generator.a", "generator.b", "generator.c", "generator.pkg", "generator.pkg.d"}
    source = (
        "import os\ndef f():\n    from generator.b import g\n    from . import c\n    from .pkg import d\n"
    )
    assert imports_of("generator.a", source, modules) == {"generator.b", "generator.c", "generator.pkg.d"}


def test_a_cycle_is_found():
    graph = import_graph()
    graph["generator.urls"] = graph["generator.urls"] | {"generator.render"}
    assert cycle_in(graph) is not None
