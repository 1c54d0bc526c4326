"""Catalogue CSV import and export, and the background tasks pages with their live progress and reports.

/admin/catalog/import takes a file and starts a task (the worker runs it); /admin/tasks/{id} shows its
progress, polled by htmx every second while it runs, then its summary and the row-by-row report.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRefresh
from litestar.response import Redirect, Stream
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog import csv_io
from app.catalog.csv_domain import MAX_BYTES, MAX_ROWS
from app.catalog_pricing import PRODUCT_IMPORT
from app.catalog_pricing import export_products as product_csv
from app.errors import NotFound, ValidationFailed
from app.i18n import current_locale
from app.i18n import gettext as _
from app.pricing.price_export import export_prices as price_csv
from app.pricing.price_import import PRICE_IMPORT
from app.tasks import registry
from app.tasks import services as tasks
from app.tasks.domain import MAX_ISSUES, issues_csv
from app.tasks.services import InputFile
from app.web.auth import requires_staff
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.session import current_user, request_actor
from app.web.templating import render

IMPORTERS = [requires_staff("owner", "sales")]
STAFF = [requires_staff()]  # every staff user; each task kind says which roles may see it
UPLOAD_LIMIT = MAX_BYTES + 1024 * 1024  # the file plus the multipart envelope
ISSUES_PER_PAGE = 100
FILE_KINDS = {"products": PRODUCT_IMPORT, "prices": PRICE_IMPORT}


def result_labels() -> dict[str, str]:
    """The counters a task's result may hold, as the summary names them (in display order)."""
    return {
        "lines": _("Lines read"),
        "products": _("Products in the file"),
        "created": _("Products created"),
        "updated": _("Products updated"),
        "unchanged": _("Products unchanged"),
        "rejected_products": _("Products not imported"),
        "prices_created": _("Prices added"),
        "prices_updated": _("Prices changed"),
        "prices_unchanged": _("Prices unchanged"),
        "rejected_lines": _("Lines not imported"),
        "issues": _("Issues reported"),
    }


def status_labels() -> dict[str, str]:
    return {
        "queued": _("Queued"),
        "running": _("Running"),
        "succeeded": _("Finished"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
    }


def _kinds(request: Request) -> set[str]:
    user = current_user(request)
    return registry.visible_kinds(user.roles if user else ())


def _task_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFoundException() from None


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _upload_page(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> Response:
    context = {
        "form": values,
        "errors": errors,
        "max_mb": MAX_BYTES // (1024 * 1024),
        "max_rows": MAX_ROWS,
    }
    return render(request, "backoffice/imports/upload.html.j2", context, status_code=status)


def too_large(request: Request, _exc: RequestEntityTooLarge) -> Response:
    """An upload over the limit, caught before it is even read: the form again, with the reason."""
    message = _("The file is larger than %(n)s MB. Split it into smaller files.", n=MAX_BYTES // (1024 * 1024))
    return _upload_page(request, {"kind": "products"}, {"file": message}, 413)


@get("/catalog/import", name="backoffice:catalog_import", guards=IMPORTERS)
async def import_form(request: Request) -> Response:
    return _upload_page(request, {"kind": request.query_params.get("kind", "products")}, {})


@post(
    "/catalog/import",
    name="backoffice:catalog_import_start",
    guards=IMPORTERS,
    request_max_body_size=UPLOAD_LIMIT,
    exception_handlers={RequestEntityTooLarge: too_large},
)
async def start_import(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    form = await request.form()
    kind = str(form.get("kind", ""))
    upload = form.get("file")
    data, name, content_type = b"", "", "text/csv"
    if isinstance(upload, UploadFile):
        data, name, content_type = await upload.read(), upload.filename or "", upload.content_type or content_type
    tenant = current_tenant(request)
    try:
        task = await csv_io.start_import(
            db,
            tenant.id,
            FILE_KINDS.get(kind, ""),
            InputFile(name or "upload.csv", content_type, data),
            request_actor(request),
            locale=current_locale.get(),
            currency=tenant.currency,
        )
    except ValidationFailed as exc:
        status = 413 if len(data) > MAX_BYTES else 400
        return _upload_page(request, {"kind": kind}, exc.errors, status)
    flash(request, _("The file was received; the import runs in the background."))
    return Redirect(f"/admin/tasks/{task.id}", status_code=303)


def _csv_download(body, filename: str) -> Stream:
    return Stream(
        body,
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store"},
    )


@get("/catalog/export.csv", name="backoffice:catalog_export", guards=IMPORTERS)
async def export_products(request: Request) -> Stream:
    tenant = current_tenant(request)
    body = product_csv(request.app.state.db, tenant.id, tenant.currency)
    return _csv_download(body, f"products-{tenant.slug}-{date.today().isoformat()}.csv")


@get("/catalog/prices.csv", name="backoffice:prices_export", guards=IMPORTERS)
async def export_prices(request: Request) -> Stream:
    tenant = current_tenant(request)
    body = price_csv(request.app.state.db, tenant.id)
    return _csv_download(body, f"prices-{tenant.slug}-{date.today().isoformat()}.csv")


@get("/tasks", name="backoffice:tasks", guards=STAFF)
async def task_list(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    page = await tasks.list_tasks(db, kinds=_kinds(request), page=_page_number(request.query_params.get("page")))
    context = {"page": page, "label": registry.label, "status_labels": status_labels()}
    return render(request, "backoffice/imports/tasks.html.j2", context)


async def _task_page(
    request: Request, db: AsyncSession, task_id: uuid.UUID, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    try:
        task = await tasks.get_task(db, task_id, kinds=_kinds(request))
    except NotFound:
        raise NotFoundException() from None
    if request.headers.get("hx-request") and not task.is_active:
        return ClientRefresh()  # it has just finished: reload the whole page, with its report
    page = _page_number(request.query_params.get("page"))
    polled = bool(request.headers.get("hx-request"))  # the live block alone: no report to load
    count = 0 if polled else await tasks.issue_count(db, task.id)
    offset = (page - 1) * ISSUES_PER_PAGE
    issues = [] if polled else await tasks.task_issues(db, task.id, limit=ISSUES_PER_PAGE, offset=offset)
    context = {
        "task": task,
        "label": registry.label(task.kind),
        "status_labels": status_labels(),
        "result_labels": result_labels(),
        "issues": issues,
        "issue_count": count,
        "issue_total": int(task.result.get("issues", count)),
        "max_issues": MAX_ISSUES,
        "page": page,
        "pages": max(1, -(-count // ISSUES_PER_PAGE)),
        "errors": errors or {},
        "can_retry": task.status == "failed",
    }
    return render(request, "backoffice/imports/task.html.j2", context, block="live", status_code=status)


@get("/tasks/{task_id:str}", name="backoffice:task", guards=STAFF)
async def task_page(request: Request, db: NamedDependency[AsyncSession], task_id: FromPath[str]) -> Response:
    return await _task_page(request, db, _task_id(task_id))


@get("/tasks/{task_id:str}/report.csv", name="backoffice:task_report", guards=STAFF)
async def task_report(request: Request, db: NamedDependency[AsyncSession], task_id: FromPath[str]) -> Response:
    tid = _task_id(task_id)
    try:
        await tasks.get_task(db, tid, kinds=_kinds(request))
    except NotFound:
        raise NotFoundException() from None
    body = issues_csv(await tasks.task_issues(db, tid, limit=None))
    return Response(
        body.encode(),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="report-{tid}.csv"', "cache-control": "no-store"},
    )


async def _change(request: Request, db: AsyncSession, task_id: str, change, done: str) -> Response:
    tid = _task_id(task_id)
    try:
        await change(db, current_tenant(request).id, tid, request_actor(request), kinds=_kinds(request))
    except NotFound:
        raise NotFoundException() from None
    except ValidationFailed as exc:
        return await _task_page(request, db, tid, exc.errors, 400)
    flash(request, done)
    return Redirect(f"/admin/tasks/{tid}", status_code=303)


@post("/tasks/{task_id:str}/cancel", name="backoffice:task_cancel", guards=STAFF)
async def cancel_task(request: Request, db: NamedDependency[AsyncSession], task_id: FromPath[str]) -> Response:
    return await _change(request, db, task_id, tasks.cancel_task, _("The task was cancelled."))


@post("/tasks/{task_id:str}/retry", name="backoffice:task_retry", guards=STAFF)
async def retry_task(request: Request, db: NamedDependency[AsyncSession], task_id: FromPath[str]) -> Response:
    return await _change(request, db, task_id, tasks.retry_task, _("The task runs again; it resumes where it stopped."))


HANDLERS = [import_form, start_import, export_products, export_prices, task_list, task_page, task_report]
HANDLERS += [cancel_task, retry_task]
