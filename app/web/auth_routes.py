"""The sign-in, sign-out, reset, invitation and password routes, built once per face.

Both faces offer the same pages with their own names, paths and guard; building the
handlers from one function keeps them from drifting apart.
"""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.types import Guard
from sqlalchemy.ext.asyncio import AsyncSession

from app.web import auth_pages as pages


def auth_routes(face: pages.Face, prefix: str, password_path: str, guard: Guard) -> list:
    """Route handlers for `face`, named `<prefix>:<page>`; the password pages need `guard`."""

    @get("/sign-in", name=f"{prefix}:sign_in")
    async def sign_in_page(request: Request) -> Response:
        return await pages.sign_in_page(request, face)

    @post("/sign-in", name=f"{prefix}:sign_in_submit")
    async def sign_in(request: Request, db: NamedDependency[AsyncSession]) -> Response:
        return await pages.sign_in(request, db, face)

    @post("/sign-out", name=f"{prefix}:sign_out")
    async def sign_out(request: Request, db: NamedDependency[AsyncSession]) -> Response:
        return await pages.sign_out(request, db, face)

    @get("/forgot-password", name=f"{prefix}:forgot_password")
    async def forgot_page(request: Request) -> Response:
        return await pages.forgot_page(request, face)

    @post("/forgot-password", name=f"{prefix}:forgot_password_submit")
    async def forgot(request: Request, db: NamedDependency[AsyncSession]) -> Response:
        return await pages.forgot(request, db, face)

    @get("/reset-password/{token:str}", name=f"{prefix}:reset_password")
    async def reset_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
        return await pages.link_page(request, db, face, token, "reset")

    @post("/reset-password/{token:str}", name=f"{prefix}:reset_password_submit")
    async def reset(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
        return await pages.link_submit(request, db, face, token, "reset")

    @get("/invite/{token:str}", name=f"{prefix}:invitation")
    async def invitation_page(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
        return await pages.link_page(request, db, face, token, "invite")

    @post("/invite/{token:str}", name=f"{prefix}:invitation_submit")
    async def invitation(request: Request, db: NamedDependency[AsyncSession], token: FromPath[str]) -> Response:
        return await pages.link_submit(request, db, face, token, "invite")

    @get(password_path, name=f"{prefix}:password", guards=[guard])
    async def password_page(request: Request) -> Response:
        return await pages.password_page(request, face)

    @post(password_path, name=f"{prefix}:password_submit", guards=[guard])
    async def change_password(request: Request, db: NamedDependency[AsyncSession]) -> Response:
        return await pages.change_password(request, db, face)

    return [
        sign_in_page, sign_in, sign_out, forgot_page, forgot, reset_page, reset,
        invitation_page, invitation, password_page, change_password,
    ]  # fmt: skip
