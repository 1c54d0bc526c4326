"""Storefront sign-in, sign-out, password reset and invitation pages for customer users."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import pages
from app.identity.guards import requires_customer
from app.identity.pages import CUSTOMER_FACE as FACE


@get("/sign-in", name="storefront:sign_in")
async def sign_in_page(request: Request) -> Response:
    return await pages.sign_in_page(request, FACE)


@post("/sign-in", name="storefront:sign_in_submit")
async def sign_in(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await pages.sign_in(request, db, FACE)


@post("/sign-out", name="storefront:sign_out")
async def sign_out(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await pages.sign_out(request, db, FACE)


@get("/forgot-password", name="storefront:forgot_password")
async def forgot_page(request: Request) -> Response:
    return await pages.forgot_page(request, FACE)


@post("/forgot-password", name="storefront:forgot_password_submit")
async def forgot(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await pages.forgot(request, db, FACE)


@get("/reset-password/{token:str}", name="storefront:reset_password")
async def reset_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
    return await pages.link_page(request, db, FACE, token, "reset")


@post("/reset-password/{token:str}", name="storefront:reset_password_submit")
async def reset(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
    return await pages.link_submit(request, db, FACE, token, "reset")


@get("/invite/{token:str}", name="storefront:invitation")
async def invitation_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
    return await pages.link_page(request, db, FACE, token, "invite")


@post("/invite/{token:str}", name="storefront:invitation_submit")
async def invitation(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
    return await pages.link_submit(request, db, FACE, token, "invite")


@get("/account/password", name="storefront:password", guards=[requires_customer()])
async def password_page(request: Request) -> Response:
    return await pages.password_page(request, FACE)


@post("/account/password", name="storefront:password_submit", guards=[requires_customer()])
async def change_password(request: Request, db: NamedDependency[AsyncSession]) -> Response:
    return await pages.change_password(request, db, FACE)


HANDLERS = [
    sign_in_page,
    sign_in,
    sign_out,
    forgot_page,
    forgot,
    reset_page,
    reset,
    invitation_page,
    invitation,
    password_page,
    change_password,
]
