"""The organisation tree as spreadsheets (django-import-export): townships and villages by code."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import District, Township, Village
from .services import places_changed


class PlaceResource(resources.ModelResource):
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
