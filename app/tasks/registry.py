"""The one registry of task kinds: who may see them, what they are called, which runner does the work.

Each domain that runs background work exposes its TaskKinds and the app's assembly (app/assembly.py)
registers them here, so this module imports no domain. A runner is `async def run(ctx: TaskContext) -> str`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from app.i18n import gettext as _

Runner = Callable[[Any], Awaitable[str]]  # async def run(ctx: app.tasks.runner.TaskContext) -> str


def N_(message: str) -> str:  # marks a msgid for extraction; translated where shown
    return message


@dataclass(frozen=True)
class TaskKind:
    code: str
    label: str  # an English msgid, translated when shown
    roles: frozenset[str]  # staff roles that may start and watch it ('owner' always may)
    runner: Runner


_KINDS: dict[str, TaskKind] = {}


def register(kind: TaskKind) -> None:
    """Add (or replace) a kind of task; done once per kind at assembly."""
    _KINDS[kind.code] = kind


def kinds() -> dict[str, TaskKind]:
    return _KINDS


def runner_for(kind: str) -> Runner | None:
    entry = kinds().get(kind)
    return entry.runner if entry else None


def label(kind: str) -> str:
    entry = kinds().get(kind)
    return _(entry.label) if entry else kind


def visible_kinds(roles: Iterable[str]) -> set[str]:
    """The kinds a staff user with these roles may see."""
    held = set(roles)
    if "owner" in held:
        return set(kinds())
    return {code for code, k in kinds().items() if k.roles & held}
