"""The faces hold no SQL: every read and write goes through a domain's queries or services."""

from __future__ import annotations

import re

import pytest

from app.settings import ROOT

SQL = re.compile(r"(?<![\w.])select\(|(?<![\w.])text\(|\.execute\(|session\.scalars?\(")


@pytest.mark.parametrize("face", ["storefront", "backoffice", "tenants/platform"])
def test_no_statement_is_written_in_a_face(face):
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / face).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SQL.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == [], "move these reads into the domain's queries:\n" + "\n".join(found)
