"""Product images: upload (multipart), order, alt texts and removal, and serving them to the back office."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.services import ImagePlacement, add_product_image, product_images, set_product_images
from app.catalog.storage import MAX_IMAGE_BYTES, LocalStorage
from app.errors import ValidationFailed
from app.i18n import gettext as _
from backoffice.catalog._product_view import product_view
from backoffice.catalog._web import (
    STAFF,
    an_id,
    flag,
    form_text,
    ids,
    redirect_with_flash,
    tenant_and_actor,
    translations,
)


def _storage(request: Request, tenant_id: uuid.UUID) -> LocalStorage:
    return LocalStorage.for_tenant(request.app.state.settings, tenant_id)


@post("/catalog/products/{product_id:uuid}/images", name="backoffice:image_add", guards=STAFF)
async def upload(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    form = await request.form()
    upload_file = form.get("image")
    data, content_type = b"", ""
    if isinstance(upload_file, UploadFile):
        data = await upload_file.read(MAX_IMAGE_BYTES + 1)
        content_type = upload_file.content_type or ""
    tenant_id, actor = tenant_and_actor(request)
    alt = translations(form, "alt")
    try:
        await add_product_image(
            db, tenant_id, product_id, data, content_type, _storage(request, tenant_id), actor, alt=alt
        )
    except ValidationFailed as exc:
        errors = {"image" if k == "alt" else k: v for k, v in exc.errors.items()}
        return await product_view(request, db, product_id, errors=errors, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#images", _("Image added."))


@post("/catalog/products/{product_id:uuid}/images/order", name="backoffice:images_set", guards=STAFF)
async def arrange(request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID]) -> Response:
    """Keep the images not marked for removal, ordered by the positions typed (ties keep page order)."""
    form = await request.form()
    kept = []
    for n, image_id in enumerate(ids(form, "image")):
        if flag(form, f"remove_{image_id}"):
            continue
        raw = form_text(form, f"position_{image_id}")
        position = int(raw) if raw.isdigit() else n + 1
        placement = ImagePlacement(
            image_id=image_id,
            alt=translations(form, f"alt_{image_id}"),
            variant_id=an_id(form_text(form, f"variant_{image_id}")),
        )
        kept.append((position, n, placement))
    tenant_id, actor = tenant_and_actor(request)
    try:
        await set_product_images(db, tenant_id, product_id, [p for _pos, _n, p in sorted(kept)], actor)
    except ValidationFailed as exc:
        return await product_view(request, db, product_id, errors={"images": " ".join(exc.errors.values())}, status=400)
    return redirect_with_flash(request, f"/admin/catalog/products/{product_id}#images", _("Images saved."))


@get("/catalog/products/{product_id:uuid}/images/{image_id:uuid}", name="backoffice:image", guards=STAFF)
async def image_file(
    request: Request, db: NamedDependency[AsyncSession], product_id: FromPath[uuid.UUID], image_id: FromPath[uuid.UUID]
) -> Response:
    image = next((i for i in await product_images(db, product_id) if i.id == image_id), None)
    if image is None:
        raise NotFoundException()
    try:
        data = _storage(request, image.tenant_id).open(image.storage_key)
    except FileNotFoundError:
        raise NotFoundException() from None
    return Response(data, media_type=image.content_type, headers={"cache-control": "private, max-age=86400, immutable"})


HANDLERS = [upload, arrange, image_file]
