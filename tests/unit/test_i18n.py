"""Language negotiation, locale precedence and money formatting (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.i18n import (
    DEFAULT_LOCALE,
    current_locale,
    format_money,
    gettext,
    negotiate,
    pick_locale,
    quantize_money,
    use_locale,
)

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es", "es"),
        ("en-GB,en;q=0.9", "en"),
        ("en;q=0.5, es;q=0.9", "es"),
        ("es;q=0.4, en;q=0.8", "en"),
        ("fr-FR, fr;q=0.9, en-US;q=0.8, es;q=0.7", "en"),
        ("EN-us", "en"),
        ("es-419", "es"),
        ("en;Q=0.1, es;q=0.5", "es"),
        ("en;q=0, es;q=0.1", "es"),
        ("es;q=abc, en;q=0.2", "en"),
        ("en, es", "en"),
        ("es, en", "es"),
        ("fr, de;q=0.5", None),
        ("*", None),
        ("", None),
        ("en;q=0", None),
    ],
)
def test_negotiate_honours_q_values(header, expected):
    assert negotiate(header) == expected


def test_negotiate_with_equal_q_keeps_header_order():
    assert negotiate("en;q=0.8, es;q=0.8") == "en"
    assert negotiate("es;q=0.8, en;q=0.8") == "es"


def test_explicit_choice_beats_browser_and_tenant():
    assert pick_locale("en", "es", "es") == "en"
    assert pick_locale("es", "en;q=1", "en") == "es"


def test_browser_beats_tenant_default():
    assert pick_locale(None, "en-US,en;q=0.9", "es") == "en"
    assert pick_locale(None, "es", "en") == "es"


def test_tenant_default_when_nothing_else():
    assert pick_locale(None, "", "en") == "en"
    assert pick_locale(None, "fr, de", "en") == "en"


def test_unsupported_choices_fall_through():
    assert pick_locale("fr", "en", "es") == "en"
    assert pick_locale("", "", "de") == DEFAULT_LOCALE
    assert pick_locale(None, "", None) == DEFAULT_LOCALE


@pytest.mark.parametrize(
    ("amount", "es", "en"),
    [
        ("0.125", f"0,13{NBSP}€", "€0.13"),
        ("0.135", f"0,14{NBSP}€", "€0.14"),
        ("2.675", f"2,68{NBSP}€", "€2.68"),
        ("0.005", f"0,01{NBSP}€", "€0.01"),
        ("0.004", f"0,00{NBSP}€", "€0.00"),
        ("-0.125", f"-0,13{NBSP}€", "-€0.13"),
        ("1234.5", f"1.234,50{NBSP}€", "€1,234.50"),
    ],
)
def test_money_rounds_half_up_per_locale(amount, es, en):
    assert format_money(Decimal(amount), "EUR", "es") == es
    assert format_money(Decimal(amount), "EUR", "en") == en


def test_money_rounds_to_the_currency_minor_unit():
    assert quantize_money(Decimal("2.5"), "JPY") == Decimal("3")
    assert quantize_money(Decimal("1.2345"), "KWD") == Decimal("1.235")
    assert format_money(Decimal("2.5"), "JPY", "en") == "¥3"


def test_money_never_shows_a_negative_zero():
    assert format_money(Decimal("-0.004"), "EUR", "es") == f"0,00{NBSP}€"
    assert format_money(Decimal("-0.4"), "JPY", "en") == "¥0"
    assert not quantize_money(Decimal("-0.001"), "EUR").is_signed()


def test_money_uses_the_current_locale_by_default():
    with use_locale("en"):
        assert format_money(Decimal("10"), "EUR") == "€10.00"
    with use_locale("es"):
        assert format_money("10", "EUR") == f"10,00{NBSP}€"


def test_use_locale_sets_and_restores():
    before = current_locale.get()
    with use_locale("en") as locale:
        assert locale == "en"
        assert current_locale.get() == "en"
        with use_locale("es"):
            assert current_locale.get() == "es"
        assert current_locale.get() == "en"
    assert current_locale.get() == before


def test_use_locale_restores_after_an_error():
    before = current_locale.get()
    with pytest.raises(RuntimeError), use_locale("en"):
        raise RuntimeError("boom")
    assert current_locale.get() == before


def test_use_locale_falls_back_to_the_default_for_unknown_languages():
    with use_locale("fr") as locale:
        assert locale == DEFAULT_LOCALE
        assert current_locale.get() == DEFAULT_LOCALE


def test_gettext_interpolates_named_variables():
    with use_locale("en"):
        assert gettext("Welcome, %(name)s.", name="Ana") == "Welcome, Ana."
