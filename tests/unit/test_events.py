"""Every topic a module can emit has its line in app.events: an unregistered topic's events would fail."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from app.events import registry
from app.settings import ROOT, Settings

SOURCES = [ROOT / d for d in ("app", "tenants", "storefront", "backoffice")]


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for top in SOURCES:
        for path in sorted(top.rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found.append((name, ast.parse(Path(path).read_text(encoding="utf-8"))))
    return found


def declared_topics() -> dict[str, str]:
    """Module-level `*_TOPIC = "..."` constants: where each topic is named."""
    topics = {}
    for name, tree in _modules():
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.endswith("_TOPIC"):
                        topics[f"{name}.{target.id}"] = node.value.value
    return topics


def test_every_declared_topic_is_registered():
    registered = registry(Settings())
    missing = {where: topic for where, topic in declared_topics().items() if topic not in registered}
    assert not missing, f"add these topics to app/events.py: {missing}"
    assert len(declared_topics()) >= 4  # mail, stock moved, stock revalued, bill approved


def test_emit_is_called_with_a_named_topic_never_a_literal():
    literals = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "emit":
                topic = node.args[2] if len(node.args) > 2 else None
                if isinstance(topic, ast.Constant):
                    literals.append(f"{name}:{node.lineno} emits {topic.value!r}")
    assert not literals, "name the topic as a *_TOPIC constant: " + "; ".join(literals)


def test_registered_topics_resolve_to_importable_handlers():
    for topic, handlers in registry(Settings()).items():
        assert isinstance(topic, str) and "." in topic
        for handler in handlers:
            target = getattr(handler, "func", handler)
            assert importlib.import_module(target.__module__)
