"""Every user-facing message in the code and templates has a Spanish translation with the same placeholders."""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.settings import ROOT

METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _source_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("app", "tenants", "storefront", "backoffice"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def _spanish():
    with (ROOT / "app" / "locale" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale="es")


def test_every_message_is_translated_to_spanish():
    catalog = _spanish()
    missing = sorted(m for m in _source_messages() if not catalog.get(m) or not _translated(catalog.get(m)))
    assert missing == [], f"{len(missing)} messages lack Spanish (run `make messages` and translate): {missing[:20]}"


def test_translations_keep_their_placeholders():
    for message in _spanish():
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        targets = [message.string] if isinstance(message.string, str) else list(message.string)
        for target in targets:
            assert set(PLACEHOLDER.findall(target)) <= set(PLACEHOLDER.findall(source)) | {"num"}, source


def _translated(message) -> bool:
    return bool(message.string) if isinstance(message.string, str) else all(message.string)
