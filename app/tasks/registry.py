"""The one registry of task kinds: who may see them, what they are called, which runner does the work.

Add a kind by adding a line; its runner is `async def run(ctx: TaskContext) -> str` (see app.tasks.runner).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from app.i18n import gettext as _
from app.tasks.runner import Runner


def N_(message: str) -> str:  # marks a msgid for extraction; translated where shown
    return message


@dataclass(frozen=True)
class TaskKind:
    code: str
    label: str  # an English msgid, translated when shown
    roles: frozenset[str]  # staff roles that may start and watch it ('owner' always may)
    runner: Runner


@cache
def kinds() -> dict[str, TaskKind]:
    from app.catalog import csv_io

    entries = [
        TaskKind(csv_io.PRODUCT_IMPORT, N_("Product import"), frozenset({"owner", "sales"}), csv_io.run_product_import),
        TaskKind(csv_io.PRICE_IMPORT, N_("Price import"), frozenset({"owner", "sales"}), csv_io.run_price_import),
    ]
    return {k.code: k for k in entries}


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
