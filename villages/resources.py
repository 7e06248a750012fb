"""The organisation tree as spreadsheets (django-import-export): townships and villages by code."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from core.spreadsheets import in_every_language, normalise_text

from .models import District, Township, Village
from .services import places_changed

# What a column is headed in an exported sheet, in the user's language. An import takes these headings in
# any of the site's languages, or the column names themselves.
HEADINGS = {
    "code": _("Code"),
    "name": _("Name"),
    "kind": _("Kind"),
    "district_code": _("District code"),
    "township_code": _("Township code"),
    "active": _("Active"),
    "merged_into_code": _("Merged into (code)"),
}


class PlaceResource(resources.ModelResource):
    def get_export_headers(self, selected_fields=None) -> list[str]:
        return [str(HEADINGS.get(name, name)) for name in super().get_export_headers(selected_fields)]

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        names = {text: name for name, heading in HEADINGS.items() for text in in_every_language(heading)}
        dataset.headers = [names.get(normalise_text(heading).lower(), heading) for heading in dataset.headers or []]

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if not self._is_dry_run(kwargs):  # a confirmed import: the public pages show the new names
            places_changed()


class TownshipResource(PlaceResource):
    district = fields.Field(
        attribute="district", column_name="district_code", widget=ForeignKeyWidget(District, field="code")
    )

    class Meta:
        model = Township
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "district")
        export_order = ("code", "name", "kind", "district")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class VillageResource(PlaceResource):
    township = fields.Field(
        attribute="township", column_name="township_code", widget=ForeignKeyWidget(Township, field="code")
    )
    merged_into = fields.Field(
        attribute="merged_into", column_name="merged_into_code", widget=ForeignKeyWidget(Village, field="code")
    )

    class Meta:
        model = Village
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "township", "active", "merged_into")
        export_order = ("code", "name", "kind", "township", "active", "merged_into")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
