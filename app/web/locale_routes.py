"""The language switch: works on every host, for signed-in users and visitors alike."""

from __future__ import annotations

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import LOCALES
from app.identity.domain import safe_next
from app.identity.services import set_locale
from app.web.session import current_user, lang_cookie


@post("/lang", name="lang")
async def set_language(request: Request, db: NamedDependency[AsyncSession]) -> Redirect:
    """Remember the language in a cookie (and on the signed-in user), then go back to the page."""
    form = await request.form()
    target = safe_next(str(form.get("next", "")), "/")
    lang = str(form.get("lang", ""))
    if lang not in LOCALES:
        return Redirect(target, status_code=303)
    user = current_user(request)
    if user is not None:
        await set_locale(db, user.id, lang)
    return Redirect(target, status_code=303, cookies=[lang_cookie(request.app.state.settings, lang)])
