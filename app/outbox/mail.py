"""E-mail: send what a renderer made of the event by SMTP or the dev transport, and record it.

Every message is recorded in `mail_messages` whatever the transport, which is what the
back-office mail viewer lists. The outbox handler `send_mail` runs in the delivery
transaction; if sending fails it raises and the delivery retries later. Rendering (templates,
the recipient's language) is the web layer's: app.web.mail, joined to this handler in app.events.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.outbox.models import MailMessage, OutboxEvent
from app.settings import Settings
from tenants.models import Tenant

SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


Renderer = Callable[[str, dict[str, Any], str], RenderedMail]  # (template, context, locale) -> the mail


def build_message(settings: Settings, to: str, mail: RenderedMail) -> EmailMessage:
    """Plain text, plus an HTML alternative (multipart/alternative) when the template has one."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.base_domain)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class Transport(Protocol):
    name: str

    async def send(self, message: EmailMessage) -> None: ...


class DevTransport:
    """Development and tests without SMTP: the message is only recorded (see the mail viewer)."""

    name = "dev"

    async def send(self, message: EmailMessage) -> None:
        return None


class SmtpTransport:
    """smtplib in a thread: STARTTLS on port 587, implicit TLS on 465, login when a user is set."""

    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        s = self.settings
        if s.smtp_port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if s.smtp_port == 587:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(message)


def transport_for(settings: Settings) -> Transport:
    return SmtpTransport(settings) if settings.smtp_host else DevTransport()


async def send_mail(session: AsyncSession, event: OutboxEvent, *, settings: Settings, render: Renderer) -> MailMessage:
    """Outbox handler for `mail.send`: render, send, and record the message."""
    payload = event.payload
    context = dict(payload.get("context") or {})
    if "tenant_name" not in context:
        context["tenant_name"] = await session.scalar(select(Tenant.name).where(Tenant.id == event.tenant_id))
    mail = render(payload["template"], context, payload.get("locale") or "")
    transport = transport_for(settings)
    await transport.send(build_message(settings, payload["to"], mail))
    record = MailMessage(
        tenant_id=event.tenant_id,
        outbox_id=event.id,
        to_address=payload["to"],
        subject=mail.subject,
        body_text=mail.text,
        body_html=mail.html,
        transport=transport.name,
    )
    session.add(record)
    await session.flush()
    return record


# Reading, for the back-office mail viewer (RLS keeps each tenant to its own mail).


def viewer_enabled(settings: Settings) -> bool:
    """In development, or wherever no SMTP is configured (then recorded mail is the only copy)."""
    return settings.is_development or not settings.smtp_host


@dataclass(frozen=True, slots=True)
class MailPage:
    messages: list[MailMessage]
    page: int
    has_next: bool


async def recent_mail(session: AsyncSession, page: int = 1, per_page: int = 25) -> MailPage:
    """Recorded messages, newest first, one page at a time."""
    page = max(page, 1)
    stmt = (
        select(MailMessage)
        .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = list((await session.scalars(stmt)).all())
    return MailPage(messages=rows[:per_page], page=page, has_next=len(rows) > per_page)


async def mail_message(session: AsyncSession, message_id: uuid.UUID) -> MailMessage:
    message = await session.scalar(select(MailMessage).where(MailMessage.id == message_id))
    if message is None:
        raise NotFound()
    return message
