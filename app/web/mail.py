"""Mail rendered from templates in the recipient's language: the web's Jinja environment, HTML escaped only.

The outbox sends and records (app.outbox.mail.send_mail); app.events joins the two for the `mail.send` topic.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound

from app.i18n import use_locale
from app.outbox.mail import RenderedMail
from app.settings import ROOT
from app.web.templating import make_environment

# Test-only templates (tests/templates/mail/...): the directory is not shipped, and real
# templates come first in the search path, so this never shadows a production template.
TEST_TEMPLATES = ROOT / "tests" / "templates"


@cache
def mail_environment() -> Environment:
    """The web's environment (same dirs, gettext, formatting) but escaping only the HTML part."""
    env = make_environment()
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEST_TEMPLATES))])  # type: ignore[list-item]
    env.autoescape = _is_html
    return env


def _is_html(name: str | None) -> bool:
    return bool(name) and name.endswith(".html.j2")  # type: ignore[union-attr]


def render_mail(template: str, context: dict[str, Any], locale: str) -> RenderedMail:
    """`template` is a name without extension: `<template>.subject.j2`, `.txt.j2` and optional `.html.j2`."""
    env = mail_environment()
    with use_locale(locale):
        subject = env.get_template(f"{template}.subject.j2").render(context)
        text = env.get_template(f"{template}.txt.j2").render(context)
        try:
            html: str | None = env.get_template(f"{template}.html.j2").render(context)
        except TemplateNotFound:
            html = None
    # One line whatever the template did: a newline in a header would be an injection.
    return RenderedMail(subject=" ".join(subject.split())[:300], text=text, html=html)
