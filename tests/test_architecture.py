"""The house rules of docs/architecture.md, read from the code itself.

Data flows one way (DESIGN.md): sources -> importers -> cartography -> directory. So the
import graph of the project's modules has no circle, `directory` imports neither
`cartography` nor `importers`, `cartography` does not import `importers` (model string
references such as "cartography.ReferenceArea" are not imports), and no module grows past
500 lines. Every import counts, those inside functions and under TYPE_CHECKING included.
The benchmarks (`bench`) sit outside the product: they may import every app, no app (nor
`config`) imports them.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "directory", "cartography", "importers", "bench")
#: What each app may import of the others (config wires them all together).
ALLOWED = {
    "directory": set(),
    "cartography": {"directory"},
    "importers": {"directory", "cartography"},
    "config": {"directory", "cartography", "importers"},
    "bench": {"directory", "cartography", "importers"},
}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str:
    """The project module that `name` (a module or a name inside one) lives in, or ""."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imported(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {_resolve(name) for name in names}
    return found - {"", module}


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def _pop_until(stack: list[str], node: str) -> list[str]:
    """Pop `stack` down to `node` included; the popped modules."""
    component = [stack.pop()]
    while component[-1] != node:
        component.append(stack.pop())
    return component


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = _pop_until(stack, node)
            on_stack.difference_update(component)
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_circle():
    assert _cycles(GRAPH) == []


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if module.split(".")[0] == app
        for target in targets
        if target.split(".")[0] not in ALLOWED[app] | {app}
    )
    assert wrong == []


def test_no_module_is_over_500_lines():
    long = {
        module: count
        for module, path in MODULES.items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
