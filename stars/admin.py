"""Star criteria (评星标准) are reference data kept by the system administrator: one set a year, copied to
the next year and edited; criteria that a filed application was assessed against are read-only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyWhenLockedMixin

from .models import StarCriteria, StarDimension, StarItem, StarVetoItem
from .services import star_criteria_copy, star_criteria_is_locked


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
