"""Input checked in one place: every path, query parameter and form field, before any handler reads it.

Text must be valid UTF-8 without control characters (tab, line feed and carriage return excepted in forms)
and within a length no field of ours needs more than. PostgreSQL refuses a NUL byte in text and an asyncpg
error would otherwise answer 500; a forged character is a 400 that names the field and the reason, given
once here rather than route by route. Numbers are parsed by `parse_decimal` / `parse_int` (app.numbers):
finite, within the field's range, a clear message otherwise.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_to_bytes

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException

from app.i18n import gettext as _

MAX_QUERY_VALUE = 2_000
MAX_FORM_VALUE = 50_000
MAX_PATH = 2_000
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class InputRefused(HTTPException):
    """A path, query parameter or form field that no handler should ever see (400, naming the field)."""

    status_code = 400

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(detail=_("%(field)s: %(reason)s", field=field[:60], reason=reason))


def text_problem(value: str, limit: int, *, multiline: bool) -> str | None:
    """Why `value` is refused as text (None when it is fine)."""
    if len(value) > limit:
        return _("too long (at most %(n)s characters).", n=limit)
    if (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(value):
        return _("contains a control character that is not allowed.")
    return None


def check_path(raw_path: bytes | None, path: str) -> None:
    """The URL path: valid UTF-8, no control characters, a sensible length."""
    raw = raw_path if raw_path is not None else path.encode("utf-8", "surrogateescape")
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        raise InputRefused("path", _("is not valid UTF-8.")) from None
    if problem := text_problem(decoded, MAX_PATH, multiline=False):
        raise InputRefused("path", problem)


def check_query(query_string: bytes) -> None:
    """Every query parameter: name and value valid UTF-8, no control characters, within MAX_QUERY_VALUE."""
    if not query_string:
        return
    try:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InputRefused(_("query"), _("is not valid UTF-8.")) from None
    for name, value in pairs:
        if problem := text_problem(name, 200, multiline=False) or text_problem(value, MAX_QUERY_VALUE, multiline=False):
            raise InputRefused(name, problem)


def check_form(form: FormMultiDict) -> None:
    """Every text field of a posted form (file parts are the importers' to check)."""
    for name, value in form.multi_items():
        if problem := text_problem(name, 200, multiline=False):
            raise InputRefused(name, problem)
        if isinstance(value, str) and (problem := text_problem(value, MAX_FORM_VALUE, multiline=True)):
            raise InputRefused(name, problem)


class CheckedRequest(Request):
    """Litestar's Request whose form is checked by `check_form` the first time a handler reads it."""

    async def form(self) -> FormMultiDict:
        checked = self.scope.setdefault("state", {}).get("_form_checked")
        if not checked and self.content_type[0] == RequestEncodingType.URL_ENCODED:
            try:
                (await self.body()).decode("utf-8")
            except UnicodeDecodeError:
                raise InputRefused(_("form"), _("is not valid UTF-8.")) from None
        form = await super().form()
        if not checked:
            check_form(form)
            self.scope["state"]["_form_checked"] = True
        return form


def page_number(raw: str | None, last: int = 100_000) -> int:
    """A list's page from the query (1 when missing or not a page number)."""
    return int(raw) if raw and raw.isdigit() and len(raw) < 7 and 0 < int(raw) <= last else 1
