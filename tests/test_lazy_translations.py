"""No text is translated at import time: a module-level or class-level `gettext()` freezes
the language active when the module was first imported, whatever the request's language.
Such text goes through `gettext_lazy`, or `gettext` is called where the text is used."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_PACKAGES = ("directory", "cartography", "importers", "config")
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}
TRANSLATION = "django.utils.translation"


def _eager_names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Local names bound to an eager gettext function, and names of the translation module."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION:
            functions |= {alias.asname or alias.name for alias in node.names if alias.name in EAGER}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name == "translation"
            }
        elif isinstance(node, ast.Import):
            modules |= {
                alias.asname or alias.name for alias in node.names if alias.name == TRANSLATION
            }
    return functions, modules


class _ImportTimeCalls(ast.NodeVisitor):
    """Eager gettext calls run at import: module and class bodies, decorators and argument
    defaults; function and lambda bodies run later and are skipped."""

    def __init__(self, functions: set[str], modules: set[str]) -> None:
        self.functions, self.modules = functions, modules
        self.lines: list[int] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.visit(node.args)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        by_name = isinstance(function, ast.Name) and function.id in self.functions
        by_module = (
            isinstance(function, ast.Attribute)
            and function.attr in EAGER
            and ast.unparse(function.value) in self.modules
        )
        if by_name or by_module:
            self.lines.append(node.lineno)
        self.generic_visit(node)


def import_time_gettext_calls(source: str) -> list[int]:
    """The line numbers of eager gettext calls that `source` runs when imported."""
    tree = ast.parse(source)
    visitor = _ImportTimeCalls(*_eager_names(tree))
    visitor.visit(tree)
    return visitor.lines


def test_no_text_is_translated_at_import_time():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in APP_PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for line in import_time_gettext_calls(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_finds_constants_class_attributes_and_defaults():
    source = """
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

TITLE = _("Annuaire")
CHOICES = {"a": gettext_lazy("Association"), "b": translation.gettext("Entreprise")}

class Form:
    label = _("Nom")

def view(request, message=_("Erreur")):
    return _("Bonjour"), (lambda: _("Plus tard"))
"""
    assert import_time_gettext_calls(source) == [5, 6, 9, 11]
