"""Catalog import and export over HTTP: upload, the live task page, the report, limits, roles and tenants."""

from __future__ import annotations

import os
import uuid

import pytest

from app.actor import SYSTEM
from app.catalog import services as catalog
from app.catalog.services import CategoryInput
from app.tasks.runner import run_task
from tests.web.test_auth_sign_in import add_staff, csrf, sign_in

GOOD = b"sku,name_es,name_en,category,price\nSIL-1,Silla,Chair,sillas,39.90\nSIL-2,Silla dos,Chair two,sillas,\n"


@pytest.fixture
async def sales_a(client_a, db, tenant_a):
    """Sara from sales, signed in on Acme, with a 'sillas' category to import into."""
    user = await add_staff(db, tenant_a, "sara@acme.test", "sales", name="Sara Sales")
    async with db.transaction(tenant_a.id) as s:
        await catalog.create_category(s, tenant_a.id, CategoryInput({"es": "Sillas"}, slug="sillas"), SYSTEM)
    assert (await sign_in(client_a, "sara@acme.test", staff=True)).status_code == 303
    return user


async def upload(client, data: bytes, kind: str = "products", name: str = "catalogue.csv"):
    return await client.post(
        "/admin/catalog/import",
        data={"kind": kind},
        files={"file": (name, data, "text/csv")},
        headers={"x-csrftoken": await csrf(client)},
    )


def task_id_of(response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


async def test_the_upload_page_explains_the_rules(client_a, sales_a):
    page = await client_a.get("/admin/catalog/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and 'type="file"' in page.text
    assert "A product with any bad line is not imported at all" in page.text
    assert 'href="/admin/catalog/export.csv"' in page.text and "Catalog import" in page.text


async def test_upload_queues_a_task_whose_page_polls_then_shows_the_summary(client_a, db, settings, tenant_a, sales_a):
    task_id = task_id_of(await upload(client_a, GOOD))

    queued = await client_a.get(f"/admin/tasks/{task_id}")
    assert queued.status_code == 200
    assert 'hx-trigger="every 1s"' in queued.text and "<progress" in queued.text and "Queued" in queued.text
    assert "The file was received; the import runs in the background." in queued.text
    fragment = await client_a.get(f"/admin/tasks/{task_id}", headers={"hx-request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="task-live"' in fragment.text

    assert await run_task(db, settings, tenant_a.id, uuid.UUID(task_id)) == "succeeded"

    finished = await client_a.get(f"/admin/tasks/{task_id}", headers={"hx-request": "true"})
    assert finished.headers.get("hx-refresh") == "true"  # the poll sees the end and reloads the whole page
    page = await client_a.get(f"/admin/tasks/{task_id}")
    assert "every 1s" not in page.text
    assert "Products: 2 created, 0 updated, 0 unchanged, 0 rejected." in page.text
    assert 'max="2" value="2"' in page.text and "Products created" in page.text
    listing = await client_a.get("/admin/tasks")
    assert f"/admin/tasks/{task_id}" in listing.text and "catalogue.csv" in listing.text
    assert "sara@acme.test" in listing.text


async def test_the_report_lists_every_bad_line_and_downloads_as_csv(client_a, db, settings, tenant_a, sales_a):
    data = GOOD + b"SIL-3,Silla tres,,nope,\nSIL-4,,,sillas,abc\n"
    task_id = task_id_of(await upload(client_a, data))
    await run_task(db, settings, tenant_a.id, uuid.UUID(task_id))

    page = await client_a.get(f"/admin/tasks/{task_id}")
    assert "3 issues" in page.text
    assert "Unknown category “nope”." in page.text and "Enter the name in Spanish or English." in page.text
    report = await client_a.get(f"/admin/tasks/{task_id}/report.csv")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
    assert "attachment" in report.headers["content-disposition"]
    lines = report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "line,column,value,reason"
    assert "4,category,nope,Unknown category “nope”." in lines
    assert any(line.startswith("5,price,abc,") for line in lines)


async def test_garbage_fails_with_one_clear_issue(client_a, db, settings, tenant_a, sales_a):
    task_id = task_id_of(await upload(client_a, os.urandom(256 * 1024), name="photo.jpg"))
    await run_task(db, settings, tenant_a.id, uuid.UUID(task_id))
    page = await client_a.get(f"/admin/tasks/{task_id}")
    assert "Failed" in page.text and "1 issue" in page.text
    assert page.text.count("This is not a CSV text file: it contains binary data.") == 2  # message and report
    assert "Run it again" in page.text


async def test_an_empty_or_missing_file_is_refused_with_the_choice_kept(client_a, sales_a):
    response = await upload(client_a, b"", kind="prices")
    assert response.status_code == 400
    assert "Choose a CSV file." in response.text and 'value="prices" checked' in response.text


async def test_an_upload_over_the_limit_gets_a_clear_413(client_a, sales_a):
    response = await upload(client_a, b"a" * (22 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is larger than 20 MB. Split it into smaller files." in response.text
    just_over = await upload(client_a, b"a" * (20 * 1024 * 1024 + 10))
    assert just_over.status_code == 413 and "The file is larger than 20 MB." in just_over.text


async def test_the_catalogue_exports_as_a_csv_download(client_a, db, settings, tenant_a, sales_a):
    await run_task(db, settings, tenant_a.id, uuid.UUID(task_id_of(await upload(client_a, GOOD))))
    export = await client_a.get("/admin/catalog/export.csv")
    assert export.status_code == 200 and 'filename="products-acme-' in export.headers["content-disposition"]
    text = export.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("product_key,sku,") and "SIL-1" in text and ",39.9" in text
    prices = await client_a.get("/admin/catalog/prices.csv")
    assert prices.status_code == 200 and "BASE,SIL-1,1,39.9,," in prices.content.decode("utf-8-sig")


async def test_cancel_a_queued_task(client_a, sales_a):
    task_id = task_id_of(await upload(client_a, GOOD))
    response = await client_a.post(f"/admin/tasks/{task_id}/cancel", headers={"x-csrftoken": await csrf(client_a)})
    assert response.status_code == 303
    page = await client_a.get(f"/admin/tasks/{task_id}")
    assert "Cancelled by sara@acme.test." in page.text and "The task was cancelled." in page.text
    again = await client_a.post(f"/admin/tasks/{task_id}/cancel", headers={"x-csrftoken": await csrf(client_a)})
    assert again.status_code == 400 and "This task has already finished." in again.text


async def test_another_tenant_gets_404_for_the_task(client_a, client_b, db, tenant_b, sales_a):
    task_id = task_id_of(await upload(client_a, GOOD))
    await add_staff(db, tenant_b, "olga@globex.test", "owner")
    assert (await sign_in(client_b, "olga@globex.test", staff=True)).status_code == 303
    token = {"x-csrftoken": await csrf(client_b)}

    assert (await client_b.get(f"/admin/tasks/{task_id}")).status_code == 404
    assert (await client_b.get(f"/admin/tasks/{task_id}/report.csv")).status_code == 404
    assert (await client_b.post(f"/admin/tasks/{task_id}/cancel", headers=token)).status_code == 404
    assert (await client_b.post(f"/admin/tasks/{task_id}/retry", headers=token)).status_code == 404
    assert task_id not in (await client_b.get("/admin/tasks")).text
    assert (await client_b.get("/admin/tasks/not-a-uuid")).status_code == 404


async def test_warehouse_staff_may_not_import_nor_see_imports(client_a, db, tenant_a, sales_a):
    task_id = task_id_of(await upload(client_a, GOOD))
    await add_staff(db, tenant_a, "wes@acme.test", "warehouse")
    await sign_in(client_a, "wes@acme.test", staff=True)
    assert (await client_a.get("/admin/catalog/import")).status_code == 403
    assert (await client_a.get("/admin/catalog/export.csv")).status_code == 403
    assert (await client_a.get(f"/admin/tasks/{task_id}")).status_code == 404
    assert task_id not in (await client_a.get("/admin/tasks")).text
