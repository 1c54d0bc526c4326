"""Where product images live: a small interface, and local disk under data_dir/media/<tenant> by default."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path
from typing import Protocol

from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.settings import Settings

MAX_IMAGE_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
_KEY_RE = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}\.(png|jpg|webp)$")


def sniff_image_type(data: bytes) -> str | None:
    """The real type from the file's first bytes (never trust the declared one alone)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_image(data: bytes, content_type: str, field: str = "image") -> str:
    """The image's content type when it is a PNG, JPEG or WebP of acceptable size that is what it claims."""
    if not data:
        raise ValidationFailed({field: _("Choose an image file.")})
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed({field: _("Images may be at most %(n)s MB.", n=MAX_IMAGE_BYTES // (1024 * 1024))})
    actual = sniff_image_type(data)
    declared = content_type.split(";")[0].strip().lower()
    if declared == "image/jpg":
        declared = "image/jpeg"
    if actual is None or declared not in EXTENSIONS:
        raise ValidationFailed({field: _("Use a PNG, JPEG or WebP image.")})
    if actual != declared:
        raise ValidationFailed({field: _("The file is not the kind of image it claims to be.")})
    return actual


class Storage(Protocol):
    """One tenant's media store. Keys are opaque to callers; the same bytes get the same key."""

    def save(self, data: bytes, content_type: str) -> str: ...

    def open(self, key: str) -> bytes: ...

    def url(self, key: str) -> str: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under <data_dir>/media/<tenant_id>/<aa>/<sha256>.<ext>; content-addressed, so re-uploads dedupe.

    A file saved in a transaction that later rolls back stays on disk unreferenced (harmless; a sweep can
    remove files no product_images row names).
    """

    def __init__(self, root: Path, tenant_id: uuid.UUID, url_prefix: str = "/media/") -> None:
        self.root = root / str(tenant_id)
        self.url_prefix = url_prefix

    @classmethod
    def for_tenant(cls, settings: Settings, tenant_id: uuid.UUID) -> LocalStorage:
        return cls(settings.data_dir / "media", tenant_id)

    def _path(self, key: str) -> Path:
        if not _KEY_RE.match(key):  # keys come back from URLs: never let one climb out of the tenant's folder
            raise FileNotFoundError(key)
        return self.root / key

    def save(self, data: bytes, content_type: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        key = f"{digest[:2]}/{digest}.{EXTENSIONS[content_type]}"
        path = self._path(key)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic: a reader never sees half a file
        return key

    def open(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def url(self, key: str) -> str:
        return f"{self.url_prefix}{key}"

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def content_type_of(key: str) -> str:
    """The Content-Type to serve a stored key with."""
    ext = key.rsplit(".", 1)[-1]
    return next((ct for ct, e in EXTENSIONS.items() if e == ext), "application/octet-stream")
