"""The admin site, for the system administrator (DESIGN.md section 1)."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect


class LianjieAdminSite(AdminSite):
    site_header = site_title = "廉鉴 Lianjie"

    def password_change(self, request, extra_context=None):
        # One's own password is changed on the application's page, through the audited service.
        return redirect("accounts:password_change")



class LianjieAdminConfig(AdminConfig):
    default_site = "lianjie.admin_site.LianjieAdminSite"
