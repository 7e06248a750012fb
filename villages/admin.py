from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from audit.models import EventType
from audit.services import record_event
from core.services import audited_save
from core.spreadsheets import ImportRefused

from .models import City, District, StationKind, Township, Village
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


@admin.register(StationKind)
class StationKindAdmin(SimpleHistoryAdmin):
    """The kinds of grassroots station (基层站所), reference data: renamed and reordered, never deleted (the
    stations of a kind rest on it)."""

    list_display = ("name", "position")
    list_editable = ("position",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change) -> None:
        audited_save(obj, request.user)


class CountyActionForm(ActionForm):
    """The county chosen beside an admin action that copies reference data for one county (区县调整)."""

    district = forms.ModelChoiceField(
        label=_("county"), queryset=District.objects.order_by("code"), required=False, empty_label=_("(county)")
    )


def copy_for_chosen_county(request, queryset, copy_for_county) -> None:
    """Runs `copy_for_county(<object>, district)` for each selected object and the county chosen beside the
    action, telling the administrator what was created or why not."""
    try:  # the action form's other fields are the changelist's
        district = CountyActionForm.base_fields["district"].clean(request.POST.get("district"))
    except ValidationError:
        district = None
    if district is None:
        messages.error(request, _("Choose the county beside the action."))
        return
    for obj in queryset:
        try:
            copy = copy_for_county(obj, district)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(copy)s created.") % {"copy": copy})
