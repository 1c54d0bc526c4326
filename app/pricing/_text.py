"""The gettext_noop marker: msgids kept as data and translated when rendered."""

from __future__ import annotations


def N_(message: str) -> str:  # pybabel extracts N_() calls by default
    """Mark a msgid for extraction without translating it yet."""
    return message
