"""Image checks and the local media store."""

from __future__ import annotations

import uuid

import pytest

from app.catalog.storage import LocalStorage, check_image, content_type_of, sniff_image_type
from app.errors import ValidationFailed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20


def test_sniffs_the_real_type():
    assert sniff_image_type(PNG) == "image/png"
    assert sniff_image_type(JPEG) == "image/jpeg"
    assert sniff_image_type(WEBP) == "image/webp"
    assert sniff_image_type(b"GIF89a") is None


def test_check_image_refuses_lies_other_types_and_big_files():
    assert check_image(JPEG, "image/jpg") == "image/jpeg"
    for data, declared in ((PNG, "image/jpeg"), (b"GIF89a", "image/gif"), (b"", "image/png")):
        with pytest.raises(ValidationFailed) as problem:
            check_image(data, declared)
        assert set(problem.value.errors) == {"image"}
    with pytest.raises(ValidationFailed):
        check_image(PNG + b"\x00" * (5 * 1024 * 1024), "image/png")


def test_local_storage_is_content_addressed_per_tenant(tmp_path):
    tenant = uuid.uuid4()
    store = LocalStorage(tmp_path, tenant)
    key = store.save(PNG, "image/png")
    assert store.save(PNG, "image/png") == key
    assert (tmp_path / str(tenant) / key).read_bytes() == PNG
    assert store.open(key) == PNG and store.url(key) == f"/media/{key}" and content_type_of(key) == "image/png"
    other = LocalStorage(tmp_path, uuid.uuid4())
    with pytest.raises(FileNotFoundError):
        other.open(key)
    for hostile in ("../../etc/passwd", f"{key}/../x", "ab/" + "0" * 64 + ".exe"):
        with pytest.raises(FileNotFoundError):
            store.open(hostile)
    store.delete(key)
    assert not (tmp_path / str(tenant) / key).exists()
