"""The member departments (成员单位) and the eligibility rules are reference data: kept here as well as
seeded (results.services.departments_seed, default_rule_seed); a department is deactivated, never
deleted, since funds and filings name it."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EligibilityRule, MemberDepartment


@admin.register(MemberDepartment)
class MemberDepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]
    ordering = ["position", "name"]

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(SimpleHistoryAdmin):
    list_display = ["year", "district", "min_stars", "lowest_grade", "unrated_eligible"]
    list_filter = ["year"]

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
