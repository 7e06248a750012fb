"""Star criteria (评星标准) are reference data kept by the system administrator: the city-wide set of each
year, copied to the next year and edited, and a county's own set, copied from the city-wide one for the
county chosen beside the action and adjusted; criteria that a filed application was assessed against are
read-only."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyWhenLockedMixin
from villages.admin import CountyActionForm, copy_for_chosen_county

from .criteria_services import criteria_copy_for_county, star_criteria_copy, star_criteria_is_locked
from .models import StarCriteria, StarDimension, StarItem, StarVetoItem


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
    list_display = (
        "year",
        "district",
        "publicity_days",
        "veto_max_level",
        *(f"min_points_{level}" for level in range(1, 6)),
    )
    list_filter = ("district",)
    inlines = [StarDimensionInline, StarVetoItemInline]
    actions = ["copy_to_next_year", "copy_for_county"]
    action_form = CountyActionForm

    @admin.action(description=_("Copy to the next year"))
    def copy_to_next_year(self, request, queryset) -> None:
        for criteria in queryset:
            try:
                copy = star_criteria_copy(source=criteria, year=criteria.year + 1, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(copy)s created.") % {"copy": copy})

    @admin.action(description=_("Copy for the county chosen (to adjust)"))
    def copy_for_county(self, request, queryset) -> None:
        copy_for_chosen_county(
            request,
            queryset,
            lambda criteria, district: criteria_copy_for_county(
                criteria=criteria, district=district, acting_user=request.user
            ),
        )


@admin.register(StarDimension)
class StarDimensionAdmin(StarCriteriaLockMixin, admin.ModelAdmin):
    list_display = ("name", "code", "criteria", "position")
    list_filter = ("criteria",)
    inlines = [StarItemInline]
