"""The product list: filters, sort, pages, counts per status, bulk actions; and the product search picker."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import queries
from app.errors import ValidationFailed
from app.i18n import current_locale, ngettext
from app.i18n import gettext as _
from backoffice.catalog._bulk import run_bulk
from backoffice.catalog._web import (
    STAFF,
    an_id,
    form_text,
    ids,
    in_current_language,
    page,
    page_number,
    query_string,
    redirect_with_flash,
    same_site_path,
    tenant_and_actor,
)

LIST = "/admin/catalog/products"


def _filters(request: Request) -> queries.ProductFilters:
    params = request.query_params
    status = params.get("status", "")
    sort = params.get("sort", "name")
    return queries.ProductFilters(
        q=params.get("q", "").strip()[:100],
        category_id=an_id(params.get("category")),
        brand_id=an_id(params.get("brand")),
        status=status if status in queries.STATUSES else "",
        sort=sort if sort in queries.SORTS else "name",
        page=page_number(params.get("page")),
    )


def _params(f: queries.ProductFilters, **override: object) -> dict[str, object]:
    params: dict[str, object] = {
        "q": f.q,
        "category": f.category_id or "",
        "brand": f.brand_id or "",
        "status": f.status,
        "sort": "" if f.sort == "name" else f.sort,
    }
    params.update(override)
    return params


async def _list_context(db: AsyncSession, f: queries.ProductFilters) -> dict:
    result = await queries.product_page(db, f, current_locale.get())
    return {
        "f": f,
        "result": result,
        "categories": await queries.category_options(db),
        "brands": [b for b, _n in await queries.brands(db)],
        "catalogs": [c for c, _p, _a in await queries.catalogs(db)],
        "url": lambda **o: LIST + query_string(_params(f, **o)),
        "here": LIST + query_string(_params(f, page=f.page if f.page > 1 else "")),
    }


@get("/catalog/products", name="backoffice:products", guards=STAFF)
async def products(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    context = await _list_context(db, _filters(request))
    return page(request, "backoffice/catalog/products/list.html.j2", context, block="results")


@post("/catalog/products/bulk", name="backoffice:products_bulk", guards=STAFF)
async def bulk(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    back = same_site_path(form_text(form, "back"), LIST)
    action = form_text(form, "action")
    tenant_id, actor = tenant_and_actor(request)
    try:
        result = await run_bulk(
            db,
            tenant_id,
            actor,
            action,
            ids(form, "ids"),
            category_id=an_id(form_text(form, "category_id")),
            catalog_id=an_id(form_text(form, "catalog_id")),
        )
    except ValidationFailed as exc:
        return redirect_with_flash(request, back, " ".join(exc.errors.values()), "error")
    messages = {
        "activate": ngettext("%(num)s product activated.", "%(num)s products activated.", result.done),
        "discontinue": ngettext("%(num)s product discontinued.", "%(num)s products discontinued.", result.done),
        "set_category": ngettext("%(num)s product moved.", "%(num)s products moved.", result.done),
        "add_to_catalog": ngettext(
            "%(num)s product added to the catalogue.", "%(num)s products added to the catalogue.", result.done
        ),
    }
    if result.refused:
        named = dict(await queries.products_named(db, [i for i, _r in result.refused]))
        reasons = "; ".join(f"{in_current_language(named.get(i))}: {reason}" for i, reason in result.refused)
        return redirect_with_flash(
            request, back, messages[action] + " " + _("Not changed: %(reasons)s", reasons=reasons), "info"
        )
    return redirect_with_flash(request, back, messages[action])


@get("/catalog/products/picker", name="backoffice:product_picker", guards=STAFF)
async def picker(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    """Products matching a search as checkboxes named `name`, for the relation and catalogue pickers."""
    params = request.query_params
    name = params.get("name", "related_ids")
    name = name if name.replace("_", "").isalnum() else "related_ids"
    exclude = [i for i in (an_id(v) for v in params.getall("exclude", [])) if i]
    q = params.get("q", "").strip()
    choices = await queries.product_choices(db, q, exclude=exclude) if q else []
    context = {"choices": choices, "name": name, "q": q}
    return page(request, "backoffice/catalog/products/_picker_results.html.j2", context)


HANDLERS = [products, bulk, picker]
