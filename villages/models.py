"""The organisation tree: City (市) → District (区 / 县 / 县级市, "county") → Township (镇 / 街道) →
Village (村 / 社区, "村居").

Each place carries its statistical division code (统计用区划代码): 4 digits for a city, 6 for a district,
9 for a township, 12 for a village; a child's code starts with its parent's. A district working alone
(one district per installation, the default) need not name its city.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

CODE_MISMATCH = _("The code %(code)s must start with its parent's code %(parent)s.")


class City(models.Model):  # 市
    code = models.CharField(_("division code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=50)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("unit", "city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{4}$"), name="city_code_4_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):  # 区 / 县 / 县级市 ("county" in the city's words)
    class Kind(models.TextChoices):
        DISTRICT = "district", pgettext_lazy("district kind", "district")  # 区
        COUNTY = "county", pgettext_lazy("district kind", "county")  # 县
        COUNTY_CITY = "county_city", pgettext_lazy("district kind", "county-level city")  # 县级市

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISTRICT)
    city = models.ForeignKey(
        City,
        verbose_name=pgettext_lazy("unit", "city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="districts",
        help_text=_("Empty for a district that works alone on this installation."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6}$"), name="district_code_6_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.city_id and not self.code.startswith(self.city.code):
            raise ValidationError({"code": CODE_MISMATCH % {"code": self.code, "parent": self.city.code}})


class Township(models.Model):  # 镇 / 街道
    class Kind(models.TextChoices):
        TOWN = "town", _("town")  # 镇
        SUBDISTRICT = "subdistrict", _("subdistrict")  # 街道

    code = models.CharField(_("division code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TOWN)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="townships"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{9}$"), name="township_code_9_digits"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and not self.code.startswith(self.district.code):
            raise ValidationError({"code": CODE_MISMATCH % {"code": self.code, "parent": self.district.code}})


class Village(models.Model):  # 村 / 社区
    class Kind(models.TextChoices):
        VILLAGE = "village", _("village")  # 村
        COMMUNITY = "community", _("community")  # 社区

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="villages"
    )
    active = models.BooleanField(_("active"), default=True)
    # 村规模调整: a merged village keeps its history and points to the village it became part of.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_villages",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{12}$"), name="village_code_12_digits"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(active=False), name="merged_village_is_inactive"
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")), name="village_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.township_id and not self.code.startswith(self.township.code):
            raise ValidationError({"code": CODE_MISMATCH % {"code": self.code, "parent": self.township.code}})
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("A village cannot be merged into itself.")})


class StationKind(models.Model):  # 基层站所类别（派出所、自然资源所、市场监管所……）
    name = models.CharField(_("name"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kind of station")
        verbose_name_plural = _("kinds of station")

    def __str__(self) -> str:
        return self.name


class Station(models.Model):  # 基层站所（设在镇街、服务群众的派驻或垂管机构）
    """A grassroots station serving a township's villagers (派出所, 市场监管所…), rated 群众满意基层站所 by
    the county on the same engine as the villages' stars. It sits in one township, whose secretary files
    its self-assessment."""

    township = models.ForeignKey(
        Township, verbose_name=_("township"), on_delete=models.PROTECT, related_name="stations"
    )
    kind = models.ForeignKey(StationKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="stations")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["township__code", "kind__position", "name"]
        verbose_name = _("grassroots station")
        verbose_name_plural = _("grassroots stations")
        constraints = [
            models.UniqueConstraint(
                fields=["township", "name"],
                name="station_name_once_per_township",
                violation_error_message=_("The township has a station of this name already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
