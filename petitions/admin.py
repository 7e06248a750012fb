"""Reference data of petitions for the system administrator: the working-day overrides (调休 of years
the calendar package does not know), the "五字" classes and the time limits. Cases themselves are never
in the admin: the system administrator may not read petitions (三员分立)."""

from django.contrib import admin

from .models import PetitionClass, PetitionRules, WorkingDayOverride


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "working", "note")
    list_filter = ("working",)
    date_hierarchy = "day"


@admin.register(PetitionClass)
class PetitionClassAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "target_days", "position")


@admin.register(PetitionRules)
class PetitionRulesAdmin(admin.ModelAdmin):
    list_display = ("__str__", "accept_working_days", "notify_working_days", "conclude_days", "feedback_working_days")

    def has_add_permission(self, request) -> bool:
        return not PetitionRules.objects.exists() and super().has_add_permission(request)
