"""Product images from the tenant's media store: GET /media/{key}, only ever from this host's tenant.

Keys are content hashes, so a file never changes under its key: browsers may keep it for a year and
revalidate with its ETag. The store refuses keys that are not its own shape (no path tricks), and each
tenant's files live in its own folder, so another tenant's key is simply not found here.
"""

from __future__ import annotations

import anyio
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.catalog.storage import LocalStorage, content_type_of
from app.settings import Settings
from app.web.guards import current_tenant

CACHE_CONTROL = "public, max-age=31536000, immutable"


@get("/media/{key:path}", name="storefront:media", include_in_schema=False)
async def media(request: Request, key: FromPath[str]) -> Response:
    key = key.lstrip("/")
    settings: Settings = request.app.state.settings
    storage = LocalStorage.for_tenant(settings, current_tenant(request).id)
    etag = '"' + key.rsplit("/", 1)[-1].split(".", 1)[0] + '"'
    headers = {"cache-control": CACHE_CONTROL, "etag": etag}
    try:
        data = await anyio.to_thread.run_sync(storage.open, key)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFoundException() from None
    if etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=304, headers=headers)
    return Response(data, media_type=content_type_of(key), headers=headers)
