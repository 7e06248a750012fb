"""Schemes are reference data kept by the system administrator: copied to a new version for a new
period, then edited; the default (no county) serves every county, a county's own adjusts it
(scoring.services.scheme_copy_for_county). A scheme that an approved or published round uses is
read-only."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyWhenLockedMixin
from villages.admin import CountyActionForm, copy_for_chosen_county

from .models import BonusItem, Category, Indicator, OpenDataLicence, Period, Scheme, VetoItem
from .services import scheme_copy, scheme_copy_for_county, scheme_is_locked


class LockedWhenUsedMixin(ReadOnlyWhenLockedMixin):
    def _locked(self, obj) -> bool:
        scheme = obj if isinstance(obj, Scheme) else getattr(obj, "scheme", None)
        return scheme is not None and scheme.pk is not None and scheme_is_locked(scheme)


class CategoryInline(LockedWhenUsedMixin, admin.TabularInline):
    model = Category
    extra = 0


class IndicatorInline(LockedWhenUsedMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("category", "code", "name", "max_points", "guidance", "position")


class BonusItemInline(LockedWhenUsedMixin, admin.TabularInline):
    model = BonusItem
    extra = 0


class VetoItemInline(LockedWhenUsedMixin, admin.TabularInline):
    model = VetoItem
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(LockedWhenUsedMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "version",
        "district",
        "is_example",
        "grade_a_min",
        "grade_b_min",
        "bonus_cap",
        "created_at",
    )
    list_filter = ("district",)
    inlines = [CategoryInline, IndicatorInline, BonusItemInline, VetoItemInline]
    actions = ["copy_as_new_version", "copy_for_county"]
    action_form = CountyActionForm

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request, queryset) -> None:
        for scheme in queryset:
            copy = scheme_copy(scheme=scheme, acting_user=request.user)
            messages.success(request, _("%(copy)s created.") % {"copy": copy})

    @admin.action(description=_("Copy for the county chosen (to adjust)"))
    def copy_for_county(self, request, queryset) -> None:
        copy_for_chosen_county(
            request,
            queryset,
            lambda scheme, district: scheme_copy_for_county(scheme=scheme, district=district, acting_user=request.user),
        )


@admin.register(Period)
class PeriodAdmin(ReadOnlyWhenLockedMixin, admin.ModelAdmin):
    list_display = ("code", "district", "year", "half", "scheme")
    list_filter = ("district",)

    def _locked(self, obj) -> bool:  # Period.FIXED_ONCE_APPROVED
        return obj.is_settled


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(admin.ModelAdmin):
    """One row: the licence the open data is published under (the public pages show CC BY 4.0 until it
    is saved; a change shows there once their cache expires)."""

    list_display = ("name", "url")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request) -> bool:
        return not OpenDataLicence.objects.exists() and super().has_add_permission(request)
