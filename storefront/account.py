"""The customer's account: their company and themself (colleagues and addresses: storefront.company)."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app import parties
from app.i18n import gettext as _
from app.identity.domain import CUSTOMER_SUPERROLE, CurrentUser
from app.identity.roles import CUSTOMER_ROLES
from app.web.auth import requires_customer
from app.web.session import current_user
from app.web.templating import render


def _me(request: Request) -> CurrentUser:
    user = current_user(request)
    assert user is not None and user.customer_id is not None  # the route's guard
    return user


def role_names() -> dict[str, str]:
    return {code: _(name) for code, name in CUSTOMER_ROLES.items()}


@get("/account", name="storefront:account", guards=[requires_customer()])
async def account(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    me = _me(request)
    customer = await parties.get_customer(db, me.customer_id)
    context = {"customer": customer, "role_names": role_names(), "is_admin": me.has_any([CUSTOMER_SUPERROLE])}
    return render(request, "storefront/account/overview.html.j2", context)


# The company's colleagues and addresses (for its administrator): storefront.company.


HANDLERS = [account]
