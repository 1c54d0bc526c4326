"""The sales rules stay pure: standard library, the kernel's money and errors, and lower domains' pure rules."""

from __future__ import annotations

import ast
import sys

from app.settings import ROOT

ALLOWED = {
    "app.money",
    "app.errors",
    "app.pricing.domain",
    "app.inventory.domain",
    "app.shipping.domain",
    "app.catalog.domain",
}


def rule_modules(package: str) -> list:
    """The package's pure rules: domain.py and the private modules beside it (services, models, queries and
    their helpers live elsewhere in the package: services/, models.py, queries.py, repo.py, values.py)."""
    paths = sorted((ROOT / "app" / package).glob("*.py"))
    return [p for p in paths if p.name == "domain.py" or (p.name.startswith("_") and p.name != "__init__.py")]


def imported(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in rule_modules(package):
        names = found.setdefault(path.name, set())
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    return found


def impure(package: str) -> list[tuple[str, str]]:
    return [
        (file, name)
        for file, names in imported(package).items()
        for name in names
        if name.split(".")[0] not in sys.stdlib_module_names
        and name not in ALLOWED
        and not name.startswith(f"app.{package}._")
    ]


def test_sales_rules_import_nothing_impure():
    assert impure("sales") == []


def test_payments_rules_import_nothing_impure_and_not_sales():
    assert impure("payments") == []
