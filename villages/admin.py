from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import ImportRefused

from .models import City, District, Township, Village
from .resources import TownshipResource, VillageResource
from .services import place_save


class AuditedImportExportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Imports are xlsx read through the checks every importer runs (settings.IMPORT_FORMATS), confirmed
    only when the preview has no error; every export is audited."""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", str(e))  # what to fix; import-export's own message names the exception
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def save_model(self, request, obj, form, change) -> None:
        place_save(obj, request.user)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        record_event(
            EventType.EXPORTED,
            request=request,
            target_type=self.model._meta.label,
            data={"rows": queryset.count(), "format": file_format.get_title()},
        )
        return data


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "is_demo")
    search_fields = ("code", "name")


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "city", "is_demo")
    list_filter = ("kind", "city")
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
