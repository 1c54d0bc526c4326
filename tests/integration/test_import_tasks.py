"""The background task machinery: steps with progress, cancel, crash and retry without double work, isolation,
and an import run by the real worker end to end."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import text

from app.actor import SYSTEM
from app.catalog import csv_io
from app.catalog.csv_io import start_import
from app.catalog_pricing import PRODUCT_IMPORT
from app.db import refresh_statistics
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext
from app.tasks import services as tasks
from app.tasks.registry import TaskKind, kinds
from app.tasks.runner import TaskContext, run_task
from app.tasks.services import InputFile
from app.worker import run_worker

COUNT = "test.count"


@pytest.fixture
def counting(owner):
    """A task kind that commits one step per count, and can crash or be cancelled on the way."""
    seen: list[dict] = []

    async def run(ctx: TaskContext) -> str:
        steps = int(ctx.params["steps"])
        await ctx.progress(total=steps, message="Counting…")
        message = await owner.fetchval("SELECT message FROM background_tasks WHERE id = $1", ctx.task_id)
        seen.append({"checkpoint": ctx.checkpoint, "attempt": ctx.attempt, "message_outside": message})
        for i in range(ctx.checkpoint, steps):
            async with ctx.step(done=1) as step:
                await step.session.execute(text("SELECT 1"))
                step.add(counted=1)
            if ctx.params.get("crash_after") == i and ctx.attempt == 1:
                raise RuntimeError("boom")
            if ctx.params.get("cancel_after") == i:
                async with ctx.db.transaction(ctx.tenant_id) as s:
                    await tasks.cancel_task(s, ctx.tenant_id, ctx.task_id, SYSTEM, kinds=None)
        return "Counted."

    kinds()[COUNT] = TaskKind(COUNT, "Counting", frozenset({"owner"}), run)
    yield seen
    kinds().pop(COUNT)


async def start(db, tenant, **params):
    async with db.transaction(tenant.id) as s:
        return (await tasks.start_task(s, tenant.id, COUNT, SYSTEM, params={"locale": "en", **params})).id


async def load(db, tenant, task_id):
    async with db.transaction(tenant.id) as s:
        return await tasks.get_task(s, task_id)


async def test_steps_commit_work_progress_and_counters_together(db, owner, settings, tenant_a, counting):
    task_id = await start(db, tenant_a, steps=3)
    queued = await load(db, tenant_a, task_id)
    assert queued.status == "queued" and queued.message == gettext("Waiting for a worker…")
    jobs = await owner.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'tasks.run'")
    assert jobs == 1

    assert await run_task(db, settings, tenant_a.id, task_id) == "succeeded"

    task = await load(db, tenant_a, task_id)
    assert (task.status, task.message, task.done, task.total, task.checkpoint) == ("succeeded", "Counted.", 3, 3, 3)
    assert task.result == {"counted": 3} and task.percent == 100
    assert task.started_at and task.finished_at and task.attempts == 1
    assert counting[0]["message_outside"] == "Counting…"  # progress commits at once, visible to others
    assert await run_task(db, settings, tenant_a.id, task_id) == "skipped"  # a duplicate job does nothing


async def test_a_crash_fails_the_task_and_a_retry_resumes_without_doing_work_twice(
    db, owner, settings, tenant_a, counting
):
    task_id = await start(db, tenant_a, steps=4, crash_after=1)

    assert await run_task(db, settings, tenant_a.id, task_id) == "failed"

    failed = await load(db, tenant_a, task_id)
    assert failed.message.startswith("The task stopped on an unexpected error.") and str(task_id) in failed.message
    assert (failed.done, failed.checkpoint, failed.result) == (2, 2, {"counted": 2})
    async with db.transaction(tenant_a.id) as s:
        await tasks.retry_task(s, tenant_a.id, task_id, SYSTEM, kinds=None)
    assert (await load(db, tenant_a, task_id)).status == "queued"
    assert await owner.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'tasks.run'") == 2

    assert await run_task(db, settings, tenant_a.id, task_id) == "succeeded"

    task = await load(db, tenant_a, task_id)
    assert [c["checkpoint"] for c in counting] == [0, 2]
    assert (task.done, task.result, task.attempts) == (4, {"counted": 4}, 2)
    with pytest.raises(ValidationFailed):
        async with db.transaction(tenant_a.id) as s:
            await tasks.retry_task(s, tenant_a.id, task_id, SYSTEM, kinds=None)


async def test_cancelling_stops_the_task_at_its_next_step(db, settings, tenant_a, counting):
    task_id = await start(db, tenant_a, steps=5, cancel_after=0)

    assert await run_task(db, settings, tenant_a.id, task_id) == "cancelled"

    task = await load(db, tenant_a, task_id)
    assert (task.status, task.done, task.result) == ("cancelled", 1, {"counted": 1})  # step 2 rolled back
    assert task.message == "Cancelled by system." and task.finished_at
    with pytest.raises(ValidationFailed):
        async with db.transaction(tenant_a.id) as s:
            await tasks.cancel_task(s, tenant_a.id, task_id, SYSTEM, kinds=None)


async def test_another_tenant_cannot_see_touch_or_run_the_task(db, settings, tenant_a, tenant_b, counting):
    task_id = await start(db, tenant_a, steps=1)
    async with db.transaction(tenant_b.id) as s:
        with pytest.raises(NotFound):
            await tasks.get_task(s, task_id)
        with pytest.raises(NotFound):
            await tasks.cancel_task(s, tenant_b.id, task_id, SYSTEM, kinds=None)
        assert (await tasks.list_tasks(s)).total == 0
    assert await run_task(db, settings, tenant_b.id, task_id) == "skipped"  # a forged job for the wrong tenant
    assert (await load(db, tenant_a, task_id)).status == "queued"


async def test_the_worker_runs_an_import_end_to_end(db, owner, settings, tenant_a):
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, stop=stop))
    try:
        async with db.transaction(tenant_a.id) as s:
            data = b"sku,name_es,name_en\nSIL-1,Silla,Chair\nSIL-2,Silla dos,Chair two\n"
            task = await start_import(
                s,
                tenant_a.id,
                PRODUCT_IMPORT,
                InputFile("a.csv", "text/csv", data),
                SYSTEM,
                locale="en",
                currency="EUR",
            )
        query = "SELECT status FROM background_tasks WHERE id = $1"
        async with asyncio.timeout(30):
            while await owner.fetchval(query, task.id) in ("queued", "running"):  # noqa: ASYNC110 - no event to await
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(worker, timeout=30)
    row = await owner.fetchrow("SELECT status, message, done, total FROM background_tasks WHERE id = $1", task.id)
    assert dict(row) == {
        "status": "succeeded",
        "message": "Products: 2 created, 0 updated, 0 unchanged, 0 rejected.",
        "done": 2,
        "total": 2,
    }
    assert await owner.fetchval("SELECT count(*) FROM product_variants") == 2


async def analyze_counts(owner) -> dict[str, int]:
    await owner.execute("SELECT pg_stat_clear_snapshot()")
    rows = await owner.fetch(
        "SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY($1::text[])",
        ["products", "product_variants", "price_rules"],
    )
    return {r["relname"]: r["analyze_count"] for r in rows}


@pytest.mark.parametrize("threshold, analyzed", [(2, True), (3, False)])
async def test_a_large_import_refreshes_the_planners_statistics(
    db, owner, settings, tenant_a, monkeypatch, threshold, analyzed
):
    """An import that wrote at least ANALYZE_AFTER products analyses the tables it wrote (here: 2 products
    against a threshold of 2, then of 3), so a corrected file imported right after gets plans for the new sizes."""
    monkeypatch.setattr(csv_io, "ANALYZE_AFTER", threshold)
    before = await analyze_counts(owner)
    async with db.transaction(tenant_a.id) as s:
        data = b"sku,name_es,name_en,price\nSIL-1,Silla,Chair,10\nSIL-2,Silla dos,Chair two,12\n"
        task = await start_import(
            s, tenant_a.id, PRODUCT_IMPORT, InputFile("a.csv", "text/csv", data), SYSTEM, locale="en", currency="EUR"
        )
    assert await run_task(db, settings, tenant_a.id, task.id) == "succeeded"
    grew = set()
    async with asyncio.timeout(5):  # the counters reach other sessions when the analysing one reports them
        while analyzed and grew != {"products", "product_variants", "price_rules"}:
            after = await analyze_counts(owner)
            grew = {t for t in after if after[t] > before.get(t, 0)}
            await asyncio.sleep(0.05)
    if not analyzed:
        await asyncio.sleep(0.3)
        after = await analyze_counts(owner)
        assert not {t for t in after if after[t] > before.get(t, 0)}


async def test_statistics_that_cannot_be_refreshed_do_not_fail_anything(settings):
    unreachable = replace(settings, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert await refresh_statistics(unreachable, ("products",)) is False
    assert await refresh_statistics(replace(settings, database_url=""), ("products",)) is False
    with pytest.raises(ValueError):
        await refresh_statistics(settings, ("products; DROP TABLE products",))
    assert await refresh_statistics(settings, ("products", "price_rules")) is True
