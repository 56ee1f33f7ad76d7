"""Every project setting the code reads is declared, with its environment variable, in
config/settings/base.py: no setting lives only as a `getattr(settings, ..., default)`."""

import ast
import re
from pathlib import Path

from django.conf import global_settings, settings

from importers.io.http import Fetcher, RetryPolicy

ROOT = Path(settings.BASE_DIR)
BASE = ROOT / "config" / "settings" / "base.py"
APP_PACKAGES = ("directory", "cartography", "importers", "bench")
PROJECT_NAME_PATTERN = re.compile(r"\bCARTESS_[A-Z][A-Z0-9_]*\b")


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def _declarations() -> dict[str, ast.expr]:
    """The module-level assignments of base.py, by name."""
    declared = {}
    for node in ast.parse(BASE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    declared[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared[node.target.id] = node.value
    return declared


def _settings_reads(tree: ast.AST) -> set[str]:
    """Names read as `settings.NAME` or `getattr(settings, "NAME", ...)`."""
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
            and node.attr.isupper()
        ):
            names.add(node.attr)
    return names


def _getattr_on_settings(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr"}
        and node.args
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "settings"
    ]


def test_every_cartess_name_in_the_code_is_declared_in_base_settings():
    declared = _declarations()
    undeclared = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files(*APP_PACKAGES, "tests")
        for name in PROJECT_NAME_PATTERN.findall(path.read_text(encoding="utf-8"))
        if name not in declared
    }
    assert undeclared == set()


def test_every_setting_the_apps_read_exists():
    known = set(_declarations()) | {name for name in dir(global_settings) if name.isupper()}
    unknown = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in _python_files(*APP_PACKAGES, "config")
        for name in _settings_reads(ast.parse(path.read_text(encoding="utf-8")))
        if name not in known
    }
    assert unknown == set()


def test_no_setting_is_read_with_a_default_of_its_own():
    """A default written at the place of use hides an undeclared setting: read `settings.X`."""
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in _python_files(*APP_PACKAGES, "config")
        for line in _getattr_on_settings(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found == set()


def test_each_cartess_setting_comes_from_its_environment_variable():
    wrong = []
    for name, value in _declarations().items():
        if not name.startswith("CARTESS_"):
            continue
        function = value.func if isinstance(value, ast.Call) else None
        reads_env = isinstance(function, ast.Name) and function.id == "env"
        reads_env |= (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "env"
        )
        if not (reads_env and value.args and ast.literal_eval(value.args[0]) == name):
            wrong.append(name)
    assert wrong == []


def test_the_fetcher_reads_the_http_settings(settings):
    settings.CARTESS_HTTP_TIMEOUT = (2.0, 5.0)
    settings.CARTESS_HTTP_RETRIES = 2
    settings.CARTESS_HTTP_RETRY_DELAY = 0.5
    settings.CARTESS_HTTP_MAX_DELAY = 3.0

    fetcher = Fetcher()

    assert fetcher.timeout == (2.0, 5.0)
    assert fetcher.retry == RetryPolicy(attempts=2, base_delay=0.5, max_delay=3.0)
