"""Schemes are reference data kept by the system administrator: copied to a new version for a new
period, then edited. A scheme that an approved or published round uses is read-only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import BonusItem, Category, Indicator, Period, Scheme, VetoItem
from .services import scheme_copy, scheme_is_locked
from .star_models import StarCriteria, StarDimension, StarItem, StarVetoItem
from .star_services import star_criteria_copy, star_criteria_is_locked


class ReadOnlyWhenLockedMixin:
    """Shown but neither changed nor deleted once `_locked(obj)` says results depend on it."""

    def _locked(self, obj) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and self._locked(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and self._locked(obj))


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
    list_display = ("name", "version", "is_example", "grade_a_min", "grade_b_min", "bonus_cap", "created_at")
    inlines = [CategoryInline, IndicatorInline, BonusItemInline, VetoItemInline]
    actions = ["copy_as_new_version"]

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request, queryset) -> None:
        for scheme in queryset:
            copy = scheme_copy(scheme=scheme, acting_user=request.user)
            messages.success(request, _("%(copy)s created.") % {"copy": copy})


@admin.register(Period)
class PeriodAdmin(ReadOnlyWhenLockedMixin, admin.ModelAdmin):
    list_display = ("code", "year", "half", "scheme")

    def _locked(self, obj) -> bool:  # Period.FIXED_ONCE_APPROVED
        return obj.is_settled


# --- Star criteria (评星标准): one set a year, copied to the next year and edited ---------------------


class StarCriteriaLockMixin(ReadOnlyWhenLockedMixin):
    """Criteria that a filed application was assessed against are read-only, like a used scheme."""

    def _locked(self, obj) -> bool:
        criteria = getattr(obj, "criteria", None) or getattr(getattr(obj, "dimension", None), "criteria", None) or obj
        return isinstance(criteria, StarCriteria) and star_criteria_is_locked(criteria)


class StarDimensionInline(StarCriteriaLockMixin, admin.TabularInline):
    model = StarDimension
    extra = 0
    show_change_link = True


class StarVetoItemInline(StarCriteriaLockMixin, admin.TabularInline):
    model = StarVetoItem
    extra = 0


class StarItemInline(StarCriteriaLockMixin, admin.TabularInline):
    model = StarItem
    extra = 0


@admin.register(StarCriteria)
class StarCriteriaAdmin(StarCriteriaLockMixin, admin.ModelAdmin):
    list_display = ("year", "publicity_days", "veto_max_level", *(f"min_points_{level}" for level in range(1, 6)))
    inlines = [StarDimensionInline, StarVetoItemInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("Copy to the next year"))
    def copy_to_next_year(self, request, queryset) -> None:
        for criteria in queryset:
            try:
                copy = star_criteria_copy(source=criteria, year=criteria.year + 1, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(copy)s created.") % {"copy": copy})


@admin.register(StarDimension)
class StarDimensionAdmin(StarCriteriaLockMixin, admin.ModelAdmin):
    list_display = ("name", "code", "criteria", "position")
    list_filter = ("criteria",)
    inlines = [StarItemInline]
