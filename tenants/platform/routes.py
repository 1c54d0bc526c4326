"""Platform console routes, mounted at /platform on the bare base domain."""

from __future__ import annotations

from tenants.platform.caches import caches_page
from tenants.platform.console import TenantsController
from tenants.platform.sign_in import platform_home, sign_in_page, sign_in_post, sign_out_post

HANDLERS: list = [platform_home, sign_in_page, sign_in_post, sign_out_post, TenantsController, caches_page]
