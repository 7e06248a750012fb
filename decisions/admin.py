"""Reference data of 五有一化 reporting: the deadlines in working days (the city-wide default, a county's
own). The reports themselves are never in the admin: they are the townships' and the counties' work."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReportingRule


@admin.register(ReportingRule)
class ReportingRuleAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "district", "working_days")
    list_select_related = ("district",)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # reports were dated by the rule; a county's rule is changed, never removed
