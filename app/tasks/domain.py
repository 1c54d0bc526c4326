"""Pure rules of background tasks: issues and their report, when a running task counts as lost."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from app.i18n import gettext as _

# A running task whose row has not moved for this long lost its worker (crash, deploy): it may be run again.
STALE_AFTER = timedelta(minutes=10)
MAX_ISSUES = 10_000  # stored per task; the result says how many there were in all
VALUE_MAX = 200
REASON_MAX = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Issue(NamedTuple):
    """One problem in a task's input: line (1 = the header; None = the whole file), column, reason, value."""

    line: int | None
    column: str
    reason: str
    value: str = ""


def ordered(issues: Iterable[Issue]) -> list[Issue]:
    """Whole-file issues first, then by line; within a line in the order found."""
    indexed = list(enumerate(issues))
    indexed.sort(key=lambda pair: (pair[1].line is not None, pair[1].line or 0, pair[0]))
    return [issue for _n, issue in indexed]


def clipped(issue: Issue) -> Issue:
    """An issue that fits its columns (values from a hostile file may be megabytes long)."""
    value = issue.value if len(issue.value) <= VALUE_MAX else issue.value[: VALUE_MAX - 1] + "…"
    return issue._replace(column=issue.column[:100], reason=issue.reason[:REASON_MAX], value=value)


def is_stale(status: str, updated_at: datetime, now: datetime) -> bool:
    """A 'running' task nobody has advanced for STALE_AFTER: its worker is gone."""
    return status == "running" and now - updated_at > STALE_AFTER


def guard_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): a leading = + - @ gets a quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def unguard_cell(text: str) -> str:
    """The reverse of guard_cell, for cells of a file this system exported."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def issues_csv(issues: Iterable[Issue]) -> str:
    """The report as CSV (UTF-8 with BOM, so spreadsheets read the accents): line, column, value, reason."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_("line"), _("column"), _("value"), _("reason")])
    for issue in issues:
        line = "" if issue.line is None else str(issue.line)
        writer.writerow([line, guard_cell(issue.column), guard_cell(issue.value), guard_cell(issue.reason)])
    return out.getvalue()
