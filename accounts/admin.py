"""Users in the admin, for the system administrator: accounts, but never roles (三员分立)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminNewUserForm, AdminSetPasswordForm
from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "township", "is_active", "last_login")
    list_filter = ("is_active", "township")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
    )
    add_form = AdminNewUserForm
    change_password_form = AdminSetPasswordForm
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
