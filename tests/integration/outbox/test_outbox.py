"""The outbox: written with the change, delivered once after commit, retried with back-off on failure."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from app.events import topic_handlers
from app.outbox.delivery import NO_HANDLER, deliver, requeue_orphans
from app.outbox.services import emit, queue_mail


async def _queue_notice(db, tenant_id, **overrides):
    async with db.transaction(tenant_id) as session:
        event = await queue_mail(
            session,
            tenant_id,
            to=overrides.get("to", "buyer@example.test"),
            template=overrides.get("template", "mail/test_notice"),
            context={"name": "Ana", "note": "Tom & Jerry <3"},
            locale=overrides.get("locale", "en"),
        )
    return event.id


async def _jobs(owner, event_id):
    return await owner.fetch(
        "SELECT status::text, execute_after - now() AS wait FROM pgqueuer "
        "WHERE entrypoint = 'outbox.deliver' AND convert_from(payload, 'UTF8')::jsonb ->> 'event_id' = $1",
        str(event_id),
    )


async def _event(owner, event_id):
    return await owner.fetchrow("SELECT * FROM outbox WHERE id = $1", event_id)


async def test_committed_event_leaves_row_and_job(db, owner, tenant_a):
    event_id = await _queue_notice(db, tenant_a.id)
    assert (await _event(owner, event_id))["status"] == "pending"
    jobs = await _jobs(owner, event_id)
    assert [j["status"] for j in jobs] == ["queued"]


async def test_rolled_back_event_leaves_neither_row_nor_job(db, owner, tenant_a):
    event_id = None
    with pytest.raises(RuntimeError):
        async with db.transaction(tenant_a.id) as session:
            event = await emit(session, tenant_a.id, "test.happened", {"n": 1})
            event_id = event.id
            raise RuntimeError("the business change failed")
    assert event_id is not None
    assert await _event(owner, event_id) is None
    assert await _jobs(owner, event_id) == []


async def test_deliver_sends_once_even_when_the_job_runs_twice(db, owner, settings, tenant_a):
    event_id = await _queue_notice(db, tenant_a.id)
    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "delivered"
    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "delivered"
    rows = await owner.fetch("SELECT * FROM mail_messages WHERE outbox_id = $1", event_id)
    assert len(rows) == 1
    assert rows[0]["transport"] == "dev"
    assert rows[0]["to_address"] == "buyer@example.test"
    event = await _event(owner, event_id)
    assert event["status"] == "delivered"
    assert event["delivered_at"] is not None
    assert event["attempts"] == 0


async def test_other_tenants_event_is_not_delivered(db, owner, settings, tenant_a, tenant_b):
    event_id = await _queue_notice(db, tenant_a.id)
    assert await deliver(db, tenant_b.id, event_id, topic_handlers(settings)) == "skipped"
    assert (await _event(owner, event_id))["status"] == "pending"


async def test_missing_event_is_skipped(db, settings, tenant_a):
    assert await deliver(db, tenant_a.id, uuid.uuid4(), topic_handlers(settings)) == "skipped"


async def test_failure_is_recorded_and_retried_later(db, owner, settings, tenant_a):
    event_id = await _queue_notice(db, tenant_a.id, template="mail/does_not_exist")
    await owner.execute("DELETE FROM pgqueuer")  # as if the worker had taken the first job

    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "pending"

    event = await _event(owner, event_id)
    assert event["attempts"] == 1
    assert "TemplateNotFound" in event["last_error"]
    assert event["next_attempt_at"] > event["created_at"]
    jobs = await _jobs(owner, event_id)
    assert len(jobs) == 1
    assert 20 <= jobs[0]["wait"].total_seconds() <= 30  # 30 s minus jitter
    assert await owner.fetchval("SELECT count(*) FROM mail_messages WHERE outbox_id = $1", event_id) == 0


async def test_failure_keeps_no_half_written_side_effects(db, owner, settings, tenant_a):
    """A handler that wrote a row and then failed: its row is rolled back with the savepoint."""
    event_id = await _queue_notice(db, tenant_a.id, template="mail/test_notice", to="x" * 400)
    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "pending"
    error = (await _event(owner, event_id))["last_error"]
    assert "value too long" in error
    assert "\n" not in error
    assert "[SQL:" not in error
    assert await owner.fetchval("SELECT count(*) FROM mail_messages WHERE outbox_id = $1", event_id) == 0


async def test_gives_up_after_the_eighth_attempt(db, owner, settings, tenant_a):
    event_id = await _queue_notice(db, tenant_a.id, template="mail/does_not_exist")
    await owner.execute("UPDATE outbox SET attempts = 7 WHERE id = $1", event_id)
    await owner.execute("DELETE FROM pgqueuer")

    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "failed"

    event = await _event(owner, event_id)
    assert (event["status"], event["attempts"]) == ("failed", 8)
    assert await _jobs(owner, event_id) == []
    assert await deliver(db, tenant_a.id, event_id, topic_handlers(settings)) == "failed"


async def test_unknown_topic_fails_with_a_clear_error(db, owner, settings, tenant_a):
    async with db.transaction(tenant_a.id) as session:
        event = await emit(session, tenant_a.id, "nobody.listens", {})
    assert await deliver(db, tenant_a.id, event.id, topic_handlers(settings)) == "failed"
    assert (await _event(owner, event.id))["last_error"] == NO_HANDLER


async def test_a_topic_nobody_reacts_to_yet_is_delivered_to_no_one(db, owner, settings, tenant_a):
    """Stock moves are announced before finance subscribes: registered with no handlers, they are not failures."""
    async with db.transaction(tenant_a.id) as session:
        event = await emit(session, tenant_a.id, "inventory.moved", {"document": "x"})
    assert await deliver(db, tenant_a.id, event.id, topic_handlers(settings)) == "delivered"


async def test_sweep_requeues_due_events_whose_job_was_lost(db, owner, settings, tenant_a, tenant_b):
    lost_a = await _queue_notice(db, tenant_a.id)
    lost_b = await _queue_notice(db, tenant_b.id)
    kept = await _queue_notice(db, tenant_a.id)
    later = await _queue_notice(db, tenant_a.id)
    await owner.execute(
        "DELETE FROM pgqueuer WHERE convert_from(payload, 'UTF8')::jsonb ->> 'event_id' <> $1", str(kept)
    )
    await owner.execute("UPDATE outbox SET next_attempt_at = now() + interval '1 hour' WHERE id = $1", later)
    await owner.execute(
        "UPDATE outbox SET status = 'delivered' WHERE topic <> 'mail.send' OR id NOT IN ($1, $2, $3, $4)",
        lost_a,
        lost_b,
        kept,
        later,
    )

    assert await requeue_orphans(db) == 2
    assert len(await _jobs(owner, lost_a)) == len(await _jobs(owner, lost_b)) == 1
    assert len(await _jobs(owner, kept)) == 1
    assert await _jobs(owner, later) == []
    assert await requeue_orphans(db) == 0


async def test_concurrent_deliveries_send_once(db, owner, settings, tenant_a):
    event_id = await _queue_notice(db, tenant_a.id)
    results = await asyncio.gather(*(deliver(db, tenant_a.id, event_id, topic_handlers(settings)) for _ in range(5)))
    assert "delivered" in results
    assert set(results) <= {"delivered", "skipped"}
    assert await owner.fetchval("SELECT count(*) FROM mail_messages WHERE outbox_id = $1", event_id) == 1
