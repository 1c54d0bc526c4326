"""Host header -> kind of host (no database)."""

from __future__ import annotations

import pytest

from tenants.directory import PLATFORM, UNKNOWN, BadHost, parse_host, split_host

BASE = "bodega.app"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("acme.bodega.app", ("subdomain", "acme")),
        ("acme.bodega.app:8000", ("subdomain", "acme")),
        ("ACME.Bodega.App", ("subdomain", "acme")),
        ("acme.bodega.app.", ("subdomain", "acme")),
        ("acme.bodega.app.:8000", ("subdomain", "acme")),
        ("  acme.bodega.app  ", ("subdomain", "acme")),
        ("shop.acme.com", ("custom", "shop.acme.com")),
        ("Shop.Acme.COM:443", ("custom", "shop.acme.com")),
        ("shop.acme.com.", ("custom", "shop.acme.com")),
        ("bodega.app", (PLATFORM, "")),
        ("bodega.app:8000", (PLATFORM, "")),
        ("BODEGA.APP.", (PLATFORM, "")),
        ("localhost", (PLATFORM, "")),
        ("localhost:8000", (PLATFORM, "")),
        ("10.1.2.3", (PLATFORM, "")),
        ("10.1.2.3:8000", (PLATFORM, "")),
        ("[::1]", (PLATFORM, "")),
        ("[::1]:8000", (PLATFORM, "")),
        ("[2001:db8::1]:443", (PLATFORM, "")),
        ("www.acme.bodega.app", (UNKNOWN, "www.acme.bodega.app")),
        ("a.b.c.bodega.app:8000", (UNKNOWN, "a.b.c.bodega.app")),
    ],
)
def test_split_host(host, expected):
    assert split_host(host, BASE) == expected


@pytest.mark.parametrize(
    "host",
    [
        "",
        " ",
        "acme.bodega.app:8000@evil.example",
        "user@acme.bodega.app",
        "acme.bodega.app:abc",
        "acme.bodega.app:99999999",
        "acme.bodega.app:-1",
        "acme.bodega.app:0",
        "acme.bodega.app:65536",
        "acme.bodega.app:",
        "acme.bodega.app:80:80",
        "acme .bodega.app",
        "acme.bodega.app/evil",
        "acme.bodega.app\\evil",
        ".bodega.app",
        "acme..bodega.app",
        "-acme.bodega.app",
        "acme_x.bodega.app",
        "::1",
        "[::1",
        "[evil]",
        "[::1]evil",
        "acme.bodega.app\x00",
        "é.bodega.app",
        "a" * 64 + ".bodega.app",
        ("a" * 60 + ".") * 5 + "app",
    ],
)
def test_anything_but_a_host_and_port_is_refused(host):
    with pytest.raises(BadHost):
        parse_host(host)


def test_the_port_is_parsed_within_its_range():
    assert parse_host("acme.bodega.app:1") == ("acme.bodega.app", 1)
    assert parse_host("acme.bodega.app:65535") == ("acme.bodega.app", 65535)
    assert parse_host("[2001:DB8::1]:443") == ("[2001:db8::1]", 443)
    assert parse_host("Acme.Bodega.App.") == ("acme.bodega.app", None)


def test_a_lookalike_of_the_base_domain_is_a_custom_domain():
    assert split_host("evilbodega.app", BASE) == ("custom", "evilbodega.app")
    assert split_host("bodega.app.evil.com", BASE) == ("custom", "bodega.app.evil.com")


def test_localhost_as_base_domain():
    assert split_host("acme.localhost:8000", "localhost") == ("subdomain", "acme")
    assert split_host("localhost:8000", "localhost") == (PLATFORM, "")
    assert split_host("a.b.localhost", "localhost") == (UNKNOWN, "a.b.localhost")


def test_base_domain_setting_is_normalised():
    assert split_host("acme.bodega.app", "Bodega.App.") == ("subdomain", "acme")
