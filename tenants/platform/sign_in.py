"""Operator sign-in and sign-out on the platform host."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import gettext as _
from app.identity.operators import SignInRefused, TooManyAttempts, operator_for_token, sign_in, sign_out
from app.web.flash import flash
from app.web.session import client_ip
from app.web.templating import render
from tenants.platform.guards import (
    HOME,
    SIGN_IN,
    cleared_cookie,
    cookie_token,
    safe_next,
    session_cookie,
)

TEMPLATE = "platform/sign_in.html.j2"


@get("/", name="platform:home")
async def platform_home() -> Redirect:
    return Redirect(path=HOME, status_code=303)


@get("/sign-in", name="platform:sign-in")
async def sign_in_page(request: Request, db: NamedDependency[AsyncSession]) -> Template | Redirect:
    token = cookie_token(request)
    if token and await operator_for_token(db, token):
        return Redirect(path=safe_next(request.query_params.get("next")), status_code=303)
    return render(request, TEMPLATE, {"email": "", "next": safe_next(request.query_params.get("next")), "error": ""})


@post("/sign-in", name="platform:sign-in-post")
async def sign_in_post(request: Request, db: NamedDependency[AsyncSession]) -> Template | Redirect:
    form = await request.form()
    email = str(form.get("email") or "").strip()
    next_path = safe_next(str(form.get("next") or ""))
    settings = request.app.state.settings
    ctx = {"email": email, "next": next_path}
    try:
        operator, token = await sign_in(
            db,
            request.app.state.db,
            settings,
            email,
            str(form.get("password") or ""),
            ip=client_ip(request),
            previous_token=cookie_token(request),
        )
    except TooManyAttempts as exc:
        message = _(
            "Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again.",
            minutes=exc.minutes,
        )
        return render(request, TEMPLATE, {**ctx, "error": message}, status_code=429)
    except SignInRefused:
        message = _("The e-mail or the password is not correct.")
        return render(request, TEMPLATE, {**ctx, "error": message}, status_code=400)
    flash(request, _("Welcome, %(name)s.", name=operator.name))
    response = Redirect(path=next_path, status_code=303)
    response.set_cookie(session_cookie(token, settings.cookie_secure))
    return response


@post("/sign-out", name="platform:sign-out")
async def sign_out_post(request: Request, db: NamedDependency[AsyncSession]) -> Redirect:
    token = cookie_token(request)
    if token:
        await sign_out(db, token)
    flash(request, _("You have signed out."))
    response = Redirect(path=SIGN_IN, status_code=303)
    response.set_cookie(cleared_cookie(request.app.state.settings.cookie_secure))
    return response
