"""Sign-in, sign-out, password reset, invitation and change-password pages, shared by both faces.

The storefront and the back office route to these with their own `Face`: the same flow,
their own paths, templates and kind of user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.i18n import ngettext
from app.identity import auth, reset
from app.identity.domain import CUSTOMER, STAFF, face_kind, safe_next
from app.identity.sessions import SESSION_COOKIE
from app.settings import Settings
from app.web.flash import flash
from app.web.guards import current_tenant
from app.web.links import tenant_link
from app.web.session import cleared_session_cookie, client_ip, current_user, lang_cookie, session_cookie
from app.web.templating import render

LINK_PATHS = {"reset": "/reset-password/", "invite": "/invite/"}


@dataclass(frozen=True, slots=True)
class Face:
    """One face's identity pages: which users sign in there and where its pages live."""

    kind: str
    prefix: str
    templates: str
    home: str
    password_path: str

    def url(self, path: str) -> str:
        return self.prefix + path

    def next_or_home(self, value: str | None) -> str:
        """A local `next` on this face (never the other face's pages, which would ask to sign in again)."""
        target = safe_next(value, self.home)
        return target if face_kind(target.split("?", 1)[0]) == self.kind else self.home


CUSTOMER_FACE = Face(CUSTOMER, "", "storefront/auth", "/", "/account/password")
STAFF_FACE = Face(STAFF, "/admin", "backoffice/auth", "/admin", "/admin/password")
FACES = {CUSTOMER: CUSTOMER_FACE, STAFF: STAFF_FACE}


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _page(request: Request, face: Face, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, f"{face.templates}/{name}.html.j2", {"face": face, **context}, status_code=status)


def _signed_in(request: Request, target: str, signed: auth.SignedIn) -> Redirect:
    settings = _settings(request)
    cookies = [session_cookie(settings, signed.token)]
    if signed.locale:
        cookies.append(lang_cookie(settings, signed.locale))
    return Redirect(target, status_code=303, cookies=cookies)


def _browser(request: Request) -> reset.Browser:
    return reset.Browser(
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        request_id=request.scope["state"].get("request_id"),
        replaces=request.cookies.get(SESSION_COOKIE),
    )


async def sign_in_page(request: Request, face: Face) -> Response:
    """The sign-in form (straight on to `next` when already signed in here)."""
    next_path = request.query_params.get("next", "")
    if current_user(request) is not None:
        return Redirect(face.next_or_home(next_path), status_code=303)
    return _page(request, face, "sign_in", {"form": {"email": "", "next": next_path}, "errors": {}, "message": None})


async def sign_in(request: Request, db: AsyncSession, face: Face) -> Response:
    """Check the form, sign in, set the session (and language) cookie and go to `next`."""
    form = await request.form()
    values = {"email": str(form.get("email", "")).strip()[:320], "next": str(form.get("next", ""))[:2000]}
    password = str(form.get("password", ""))
    errors: dict[str, str] = {}
    if not values["email"]:
        errors["email"] = _("Enter your e-mail address.")
    if not password:
        errors["password"] = _("Enter your password.")
    if errors:
        return _page(request, face, "sign_in", {"form": values, "errors": errors, "message": None}, 400)
    attempt = auth.Attempt(
        kind=face.kind,
        email=values["email"],
        password=password,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
        replaces=request.cookies.get(SESSION_COOKIE),
    )
    try:
        signed = await auth.sign_in(request.app.state.db, db, current_tenant(request).id, attempt, _settings(request))
    except auth.TooManyAttempts as exc:
        message = ngettext(
            "Too many failed sign-in attempts. Please wait %(num)s minute and try again.",
            "Too many failed sign-in attempts. Please wait %(num)s minutes and try again.",
            exc.minutes,
        )
        return _page(request, face, "sign_in", {"form": values, "errors": {}, "message": message}, 429)
    except auth.SignInRefused:
        message = _("Wrong e-mail or password.")
        return _page(request, face, "sign_in", {"form": values, "errors": {}, "message": message}, 400)
    return _signed_in(request, face.next_or_home(values["next"]), signed)


async def sign_out(request: Request, db: AsyncSession, face: Face) -> Response:
    """End this browser's session and forget its cookie."""
    await auth.sign_out(db, request.cookies.get(SESSION_COOKIE))
    flash(request, _("You have signed out."))
    target = face.url("/sign-in") if face.kind == STAFF else face.home
    return Redirect(target, status_code=303, cookies=[cleared_session_cookie(_settings(request))])


async def forgot_page(request: Request, face: Face) -> Response:
    """Ask for the e-mail a reset link goes to."""
    return _page(request, face, "forgot_password", {"form": {"email": ""}, "errors": {}, "sent": False})


async def forgot(request: Request, db: AsyncSession, face: Face) -> Response:
    """Mail a reset link when the account exists; the answer is the same either way."""
    form = await request.form()
    email = str(form.get("email", "")).strip()
    tenant = current_tenant(request)
    url = tenant_link(request, face.url(LINK_PATHS["reset"] + "{token}"))
    try:
        await reset.request_reset(
            db,
            tenant.id,
            kind=face.kind,
            email=email,
            url_template=url,
            tenant_name=tenant.name,
            locale=request.scope["state"].get("locale") or tenant.locale,
        )
    except ValidationFailed as exc:
        return _page(
            request, face, "forgot_password", {"form": {"email": email}, "errors": exc.errors, "sent": False}, 400
        )
    return _page(request, face, "forgot_password", {"form": {"email": email}, "errors": {}, "sent": True})


def _link_expired(request: Request, face: Face, purpose: str) -> Response:
    return _page(request, face, "link_expired", {"purpose": purpose}, 410)


async def link_page(request: Request, db: AsyncSession, face: Face, token: str, purpose: str) -> Response:
    """The form a reset or invitation link opens; the other face's link is sent over to its own page."""
    holder = await reset.link_holder(db, token, purpose)
    if holder is None:
        return _link_expired(request, face, purpose)
    if holder.kind != face.kind:
        return Redirect(FACES[holder.kind].url(LINK_PATHS[purpose] + token), status_code=303)
    return _page(request, face, "set_password", {"purpose": purpose, "holder": holder, "errors": {}})


async def link_submit(request: Request, db: AsyncSession, face: Face, token: str, purpose: str) -> Response:
    """Set the password from a link, then sign the browser in with a fresh session."""
    holder = await reset.link_holder(db, token, purpose)
    if holder is None or holder.kind != face.kind:
        return _link_expired(request, face, purpose)
    form = await request.form()
    try:
        signed = await reset.set_password_from_link(
            db,
            current_tenant(request).id,
            raw=token,
            purpose=purpose,
            kind=face.kind,
            password=str(form.get("password", "")),
            confirm=str(form.get("confirm", "")),
            browser=_browser(request),
        )
    except ValidationFailed as exc:
        context = {"purpose": purpose, "holder": holder, "errors": exc.errors}
        return _page(request, face, "set_password", context, 400)
    except reset.LinkInvalid:
        return _link_expired(request, face, purpose)
    if purpose == "invite":
        flash(request, _("Welcome, %(name)s! Your password is set and you are signed in.", name=holder.name))
    else:
        flash(request, _("Your password has been changed and you are signed in."))
    return _signed_in(request, face.home, signed)


async def password_page(request: Request, face: Face) -> Response:
    """The signed-in user's change-password form."""
    return _page(request, face, "change_password", {"errors": {}})


async def change_password(request: Request, db: AsyncSession, face: Face) -> Response:
    """Change the password; every other session of the user ends."""
    user = current_user(request)
    assert user is not None  # the route's guard
    form = await request.form()
    try:
        signed = await reset.change_password(
            db,
            current_tenant(request).id,
            user.id,
            current=str(form.get("current", "")),
            password=str(form.get("password", "")),
            confirm=str(form.get("confirm", "")),
            browser=_browser(request),
        )
    except ValidationFailed as exc:
        return _page(request, face, "change_password", {"errors": exc.errors}, 400)
    flash(request, _("Your password has been changed. Other devices have been signed out."))
    return _signed_in(request, face.password_path, signed)
