"""The back office's reusable audit-trail partial: when, who, what, and each change as old → new."""

from __future__ import annotations

from datetime import UTC, datetime

from app.audit.models import AuditEntry
from app.audit.services import diff
from app.i18n import use_locale
from app.web.templating import make_environment


def _render(entries: list[AuditEntry], locale: str = "en") -> str:
    template = make_environment().get_template("backoffice/_audit_trail.html.j2")
    with use_locale(locale):
        return template.render(entries=entries)


def _entry(**fields) -> AuditEntry:
    base = {
        "at": datetime(2026, 3, 5, 14, 30, tzinfo=UTC),
        "actor_kind": "staff",
        "actor_label": "Ana <ana@acme.test>",
        "action": "user.updated",
        "entity_type": "user",
        "changes": {},
    }
    return AuditEntry(**(base | fields))


def test_shows_when_who_what_and_changes():
    changes = diff(
        {"name": "Ana", "roles": ["sales"], "phone": None},
        {"name": "Ana B.", "roles": ["sales", "buyer"], "phone": "600"},
    )
    html = _render([_entry(changes=changes)])
    assert "Mar 5, 2026" in html
    assert "Ana &lt;ana@acme.test&gt;" in html
    assert "user.updated" in html
    assert "name: Ana → Ana B." in html
    assert "roles: sales → sales, buyer" in html
    assert "phone: — → 600" in html


def test_masks_secrets_and_escapes_values():
    html = _render([_entry(changes=diff({"password": "a"}, {"password": "b"}) | {"note": ["<b>", "x"]})])
    assert "password: ••• → •••" in html
    assert "note: &lt;b&gt; → x" in html


def test_date_is_localised():
    assert "5 mar 2026" in _render([_entry()], locale="es")


def test_empty_trail_says_so():
    assert "No changes recorded yet." in _render([])
