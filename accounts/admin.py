"""Users in the admin, for the system administrator: accounts, but never roles (三员分立), never another
administrator's account, and every password set here is a temporary one, audited."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from . import services
from .access import may_manage_account
from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "unit", "is_active", "last_login")
    list_filter = ("is_active", "city", "district", "township")
    list_select_related = ("township", "district", "city")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (gettext_lazy("Personal info"), {"fields": ("full_name", "email")}),
        (
            gettext_lazy("Status"),
            {"fields": ("is_active", "last_login", "date_joined", "password_changed_at", "password_reset_by")},
        ),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined", "password_changed_at", "password_reset_by")
    change_user_password_template = "admin/accounts/user/temporary_password.html"  # noqa: S105 (a template)

    def has_change_permission(self, request, obj=None) -> bool:
        # Their own name and e-mail, yes; another administrator's account, never (break-glass only).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.pk == request.user.pk or may_manage_account(request.user, obj))

    def save_model(self, request, obj: User, form, change: bool) -> None:
        if not change:  # the first password is temporary too, and the new user is told who set it
            obj.password_changed_at = None
            obj.password_reset_by = request.user
            obj.password_reset_at = timezone.now()
        super().save_model(request, obj, form, change)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        """Django's page, with the password set through the audited service (Django's writes only its
        own admin log, which the audit administrator never sees)."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if user.pk == request.user.pk:
            return redirect("accounts:password_change")  # one's own: with the old password, on that page
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = SetPasswordForm(user, request.POST or None)  # validated; saved by the service below
        if request.method == "POST" and form.is_valid():
            services.user_password_reset(
                user=user, password=form.cleaned_data["new_password1"], acting_user=request.user, request=request
            )
            messages.success(
                request,
                _("%(user)s must replace this password at the next sign-in.") % {"user": user.get_username()},
            )
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=(user.pk,)))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Set a temporary password: %s") % user.get_username(),
            "form_url": form_url,
            "form": form,
            "opts": self.opts,
            "original": user,
            "has_change_permission": True,
        }
        return TemplateResponse(request, self.change_user_password_template, context)
