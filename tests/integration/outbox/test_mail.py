"""E-mail rendering in the recipient's language, the SMTP transport and the record the viewer lists."""

from __future__ import annotations

import socket
from dataclasses import replace

from app.events import topic_handlers
from app.outbox.delivery import deliver
from app.outbox.mail import mail_message, recent_mail
from app.outbox.services import queue_mail
from app.web.mail import render_mail
from tests.smtp_sink import SmtpSink


async def _queue(db, tenant_id, template="mail/test_notice", locale="en", **context):
    async with db.transaction(tenant_id) as session:
        event = await queue_mail(
            session,
            tenant_id,
            to="buyer@example.test",
            template=template,
            context={"name": "Ana", "note": "Tom & Jerry <3", **context},
            locale=locale,
        )
    return event.id


def test_render_escapes_only_the_html_part_and_keeps_the_subject_on_one_line():
    mail = render_mail("mail/test_notice", {"name": "Ana", "note": "Tom & Jerry <3", "tenant_name": "X"}, "en")
    assert mail.subject == "Notice for Ana · X"
    assert "Tom & Jerry <3" in mail.text
    assert "Tom &amp; Jerry &lt;3" in mail.html


def test_render_uses_the_payload_locale():
    context = {"name": "Ana", "note": "", "tenant_name": "X"}
    assert "[en] 1,234.5" in render_mail("mail/test_notice", context, "en").text
    assert "[es] 1.234,5" in render_mail("mail/test_notice", context, "es").text


def test_html_part_is_optional():
    mail = render_mail("mail/test_plain", {"note": "hi"}, "en")
    assert (mail.subject, mail.text.strip(), mail.html) == ("Plain notice", "hi", None)


async def test_dev_transport_records_with_tenant_name_filled_in(db, settings, tenant_a):
    event_id = await _queue(db, tenant_a.id)
    await deliver(db, tenant_a.id, event_id, topic_handlers(settings))
    async with db.transaction(tenant_a.id) as session:
        page = await recent_mail(session)
        message = next(m for m in page.messages if m.outbox_id == event_id)
        assert message.subject == "Notice for Ana · Acme S.L."
        assert message.transport == "dev"
        assert "Tom & Jerry <3" in message.body_text
        assert (await mail_message(session, message.id)).id == message.id


async def test_smtp_transport_sends_multipart_alternative_with_login(db, owner, settings, tenant_a):
    async with SmtpSink() as sink:
        smtp = replace(settings, smtp_host="127.0.0.1", smtp_port=sink.port, smtp_user="mailer", smtp_password="pw")
        event_id = await _queue(db, tenant_a.id)
        assert await deliver(db, tenant_a.id, event_id, topic_handlers(smtp)) == "delivered"

    assert sink.logins == ["mailer"]
    assert sink.envelopes == [("no-reply@bodega.local", ["buyer@example.test"])]
    sent = sink.messages[0]
    assert sent["Subject"] == "Notice for Ana · Acme S.L."
    assert sent["To"] == "buyer@example.test"
    assert sent.get_content_type() == "multipart/alternative"
    assert "Tom & Jerry <3" in sent.get_body(("plain",)).get_content()
    assert "Tom &amp; Jerry &lt;3" in sent.get_body(("html",)).get_content()
    row = await owner.fetchrow("SELECT transport FROM mail_messages WHERE outbox_id = $1", event_id)
    assert row["transport"] == "smtp"


async def test_unreachable_smtp_server_is_a_retry_not_a_record(db, owner, settings, tenant_a):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = replace(settings, smtp_host="127.0.0.1", smtp_port=port)
    event_id = await _queue(db, tenant_a.id)
    assert await deliver(db, tenant_a.id, event_id, topic_handlers(smtp)) == "pending"
    event = await owner.fetchrow("SELECT attempts, last_error FROM outbox WHERE id = $1", event_id)
    assert event["attempts"] == 1
    assert "ConnectionRefusedError" in event["last_error"]
    assert await owner.fetchval("SELECT count(*) FROM mail_messages WHERE outbox_id = $1", event_id) == 0
