"""Quick order (/quick-order): the buyer types or pastes "SKU quantity" lines, or uploads them as a CSV or Excel
(.xlsx) file, sees each line's answer (unknown SKU, not for sale, outside the assortment, below the minimum, not
a multiple of the pack...) and adds the good lines to the cart. The checking is app.sales'; this page only shows
its answers."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app import sales
from app.errors import ValidationFailed
from app.i18n import format_number, ngettext
from app.i18n import gettext as _
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.templating import render
from storefront.cart import BUYERS, me

TEMPLATE = "storefront/cart/quick_order.html.j2"
MAX_UPLOAD = 2 * 1024 * 1024  # bytes; the service refuses larger files with a message


@dataclass(frozen=True, slots=True)
class LineAnswer:
    """One pasted line as the page shows it: its number, text, whether it is good, and why not (translated)."""

    line: int
    text: str
    ok: bool
    message: str
    suggested: str


def said(reason) -> str:
    """A rule's reason in the reader's language, its numbers written as the reader writes them."""
    params = {k: format_number(v) if hasattr(v, "as_tuple") else v for k, v in reason.params.items()}
    return _(reason.message, **params)


def answers(result) -> list[LineAnswer]:
    return [
        LineAnswer(
            line.line,
            line.text,
            line.ok,
            " ".join(said(r) for r in line.reasons),
            format_number(line.suggested) if line.suggested is not None else "",
        )
        for line in result.lines
    ]


def _page(request: Request, pasted: str, **context) -> Response:
    status = 400 if context.get("errors") else 200
    values = {"pasted": pasted, "lines": [], "errors": {}, "added": "", "refused": {}, "checked": False} | context
    return render(request, TEMPLATE, values, status_code=status)


@get("/quick-order", name="storefront:quick_order", guards=BUYERS)
async def quick_order(request: Request) -> Response:
    return _page(request, "")


async def _source(form) -> tuple[str | sales.QuickOrderUpload, str]:
    """What to check: an uploaded file when one was chosen (read up to just past the size the service accepts),
    else the pasted text; and the text to show back in the box."""
    raw = form.get("lines", "")
    pasted = raw if isinstance(raw, str) else ""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(MAX_UPLOAD + 1)
        return sales.QuickOrderUpload(upload.filename[:200], content), pasted
    return pasted, pasted


@post("/quick-order", name="storefront:quick_order_check", guards=BUYERS)
async def check_or_add(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Check shows each line's answer; add also puts the good lines in the cart (and goes there when all were).
    The lines come from the box or from an uploaded CSV or XLSX file (the file wins when both are sent)."""
    form = await request.form()
    source, pasted = await _source(form)
    adding = form.get("action") == "add"
    tenant_id, user_id = current_tenant(request).id, me(request)
    try:
        if not adding:
            result = await sales.check_quick_order_text(db, tenant_id, user_id, source)
            return _page(request, pasted, lines=answers(result), checked=True)
        done = await sales.add_quick_order(db, tenant_id, user_id, source)
    except ValidationFailed as exc:
        return _page(request, pasted, errors=exc.errors)
    lines = answers(done.result)
    count = len(done.added)
    added = ngettext("%(num)s line added to your cart.", "%(num)s lines added to your cart.", count, num=count)
    added = added if count else ""
    if done.added and not done.refused and done.result.all_ok:
        flash(request, added)
        return Redirect("/cart", status_code=303)
    kept = "\n".join(line.text for line in lines if not line.ok)  # what is left to fix
    context = {"lines": lines, "added": added, "refused": done.refused, "checked": True}
    return _page(request, kept or pasted, **context)


HANDLERS = [quick_order, check_or_add]
