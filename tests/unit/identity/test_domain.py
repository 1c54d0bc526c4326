"""Pure identity rules: guards' role logic, which face a session counts on, redirects, locks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.identity.domain import (
    CurrentUser,
    deactivation_problem,
    face_kind,
    minutes_to_wait,
    role_change_problem,
    safe_next,
    session_authenticates,
    user_status,
)


def user(kind: str, *roles: str) -> CurrentUser:
    return CurrentUser(id=uuid.uuid4(), kind=kind, email="x@y.test", name="X", roles=frozenset(roles))


def test_roles_owner_and_customer_admin_pass_every_guard_of_their_kind():
    assert user("staff", "owner").has_any({"accounting"})
    assert user("staff", "sales").has_any({"sales", "accounting"})
    assert not user("staff", "warehouse").has_any({"owner"})
    assert user("staff", "warehouse").has_any(())  # no roles asked: any signed-in staff
    assert user("customer", "customer_admin").has_any({"approver"})
    assert not user("customer", "buyer").has_any({"customer_admin"})
    assert not user("customer", "owner").has_any({"approver"})  # 'owner' means nothing to customers


def test_current_user_is_frozen():
    with pytest.raises(AttributeError):
        user("staff").name = "Y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/admin", "staff"),
        ("/admin/users/1", "staff"),
        ("/administrator", "customer"),
        ("/", "customer"),
        ("/account", "customer"),
        ("/lang", None),
    ],
)
def test_face_of_a_path(path, kind):
    assert face_kind(path) == kind


def test_a_session_only_counts_on_its_own_face():
    assert session_authenticates("staff", "/admin/users")
    assert not session_authenticates("staff", "/account")
    assert not session_authenticates("customer", "/admin")
    assert session_authenticates("customer", "/lang") and session_authenticates("staff", "/lang")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/account?tab=1", "/account?tab=1"),
        ("", "/"),
        (None, "/"),
        ("account", "/"),
        ("//evil.test/x", "/"),
        ("/\\evil.test", "/"),
        ("https://evil.test/", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("/a\\b", "/"),
    ],
)
def test_safe_next_allows_only_local_paths(value, expected):
    assert safe_next(value) == expected


def test_minutes_to_wait_rounds_up_and_is_at_least_one():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert minutes_to_wait(now + timedelta(minutes=14, seconds=1), now) == 15
    assert minutes_to_wait(now + timedelta(seconds=5), now) == 1
    assert minutes_to_wait(now - timedelta(seconds=5), now) == 1


def test_owner_may_not_demote_or_deactivate_themself():
    me, other = uuid.uuid4(), uuid.uuid4()
    assert role_change_problem(me, me, ["owner"], ["sales"])
    assert role_change_problem(me, me, ["owner"], ["owner", "sales"]) is None
    assert role_change_problem(me, other, ["owner"], ["sales"]) is None
    assert deactivation_problem(me, me)
    assert deactivation_problem(me, other) is None


def test_user_status():
    assert user_status(True, True) == "active"
    assert user_status(True, False) == "invited"
    assert user_status(False, True) == "deactivated"
