"""The request owns the transaction: commit on 1xx-3xx, roll back otherwise.

`provide_db` opens a session lazily for the request's tenant; `finish_transaction`
runs as Litestar's before_send hook on the response start, so a redirect after a
form post commits and an error page rolls back.
"""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.types import Message, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import Database

SESSION_KEY = "_db_session"


def request_session(scope: Scope, db: Database) -> AsyncSession:
    """The request's session, bound to its tenant (none on the platform host); opened on first use."""
    state = scope["state"]
    session = state.get(SESSION_KEY)
    if session is None:
        tenant = state.get("tenant")
        session = state[SESSION_KEY] = db.session(tenant.id if tenant else None)
    return session


async def provide_db(request: Request, state: State) -> AsyncSession:
    """The request's session as a handler dependency (the signed-in user was looked up in it already)."""
    return request_session(request.scope, state.db)


async def finish_transaction(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    session: AsyncSession | None = scope.get("state", {}).pop(SESSION_KEY, None)
    if session is None:
        return
    try:
        if message["status"] < 400 and session.in_transaction():
            await session.commit()
        else:
            await session.rollback()
    finally:
        await session.close()


async def close_leftover_session(scope: Scope) -> None:
    """After an aborted response (client gone, crash before headers): never leak a connection."""
    session: AsyncSession | None = scope.get("state", {}).pop(SESSION_KEY, None)
    if session is not None:
        await session.rollback()
        await session.close()
