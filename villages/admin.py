from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from audit.models import EventType
from audit.services import record_event

from .models import District, Township, Village
from .resources import TownshipResource, VillageResource


class AuditedImportExportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Imports are confirmed only when the preview has no error; every export is audited."""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        record_event(
            EventType.EXPORTED,
            request=request,
            target_type=self.model._meta.label,
            data={"rows": queryset.count(), "format": file_format.get_title()},
        )
        return data


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_demo")
    search_fields = ("code", "name")


@admin.register(Township)
class TownshipAdmin(AuditedImportExportAdmin):
    resource_classes = [TownshipResource]
    list_display = ("code", "name", "kind", "district")
    list_filter = ("kind", "district")
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(AuditedImportExportAdmin):
    resource_classes = [VillageResource]
    list_display = ("code", "name", "kind", "township", "active", "merged_into")
    list_filter = ("kind", "active", "township")
    search_fields = ("code", "name")
    raw_id_fields = ("merged_into",)
    list_select_related = ("township", "merged_into")
