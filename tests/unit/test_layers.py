"""Every package and module under app/ and tenants/ has its place in the declared layer order.

import-linter (`make lint`) checks that imports follow the order in pyproject.toml; this test checks that
the order is complete: a new package that nobody placed would otherwise be free to import anything.
"""

from __future__ import annotations

import re
import tomllib

from app.settings import ROOT

NOT_CODE = {"__init__.py", "__pycache__", "locale", "static", "templates"}


def placed_modules() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return {name for layer in layers for name in re.split(r"\s*[|:]\s*", layer.strip())}


def children(package: str) -> set[str]:
    folder = ROOT / package
    return {
        f"{package}.{path.stem}"
        for path in folder.iterdir()
        if path.name not in NOT_CODE and (path.suffix == ".py" or (path / "__init__.py").exists())
    }


def test_every_package_under_app_and_tenants_is_in_the_layer_order():
    placed = placed_modules()
    missing = sorted((children("app") | children("tenants")) - placed)
    assert missing == [], f"place these in [tool.importlinter] layers (pyproject.toml): {missing}"


def test_the_faces_are_in_the_layer_order_and_nothing_placed_is_gone():
    placed = placed_modules()
    assert {"storefront", "backoffice", "tenants.platform"} <= placed
    gone = sorted(
        m
        for m in placed
        if not (ROOT / m.replace(".", "/")).exists() and not (ROOT / f"{m.replace('.', '/')}.py").exists()
    )
    assert gone == [], f"remove these from the layer order: {gone}"
