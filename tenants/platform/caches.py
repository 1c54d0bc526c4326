"""The operator's view of this process's caches: entries, hits and misses of each (app.cache)."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from app import cache
from app.changes import TOPICS
from app.web.templating import render
from tenants.platform.guards import GUARDED


@get("/caches", name="platform:caches", **GUARDED)
async def caches_page(request: Request) -> Template:
    feed = request.app.state.changes
    context = {"caches": cache.stats(), "listening": feed.listening, "notices": feed.notices, "topics": TOPICS}
    return render(request, "platform/caches.html.j2", context)
