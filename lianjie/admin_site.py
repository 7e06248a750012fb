"""The admin site, for the system administrator (DESIGN.md section 1)."""

from functools import wraps

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import SEARCH_VAR
from django.shortcuts import redirect

from core.params import text


class LianjieAdminSite(AdminSite):
    site_header = site_title = "廉鉴 Lianjie"

    def password_change(self, request, extra_context=None):
        # One's own password is changed on the application's page, through the audited service.
        return redirect("accounts:password_change")

    def admin_view(self, view, cacheable=False):
        """Every admin page reads its search box as the application's pages read a search (a 400 past
        TEXT_MAX_LENGTH or with a NUL), whatever model's search fields it goes through."""
        admin_page = super().admin_view(view, cacheable)

        @wraps(admin_page)
        def searched(request, *args, **kwargs):
            text(request.GET.get(SEARCH_VAR))
            return admin_page(request, *args, **kwargs)

        return searched


class LianjieAdminConfig(AdminConfig):
    default_site = "lianjie.admin_site.LianjieAdminSite"
