import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.params import TEXT_MAX_LENGTH

from .models import Station, StationKind, Township, Village


class VillageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search", max_length=TEXT_MAX_LENGTH)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Village.Kind.choices, empty_label=_("All"))
    active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("active")), ("false", _("inactive"))]),
    )

    class Meta:
        model = Village
        fields = ["q", "township", "kind", "active"]

    def __init__(self, *args, townships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The township choices come from the user's scope too: a secretary sees only the own.
        self.filters["township"].queryset = townships

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value.strip()) | Q(code__startswith=value.strip()))


class StationFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All")
    )
    kind = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=StationKind.objects.all(), empty_label=_("All"))
    active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("active")), ("false", _("inactive"))]),
    )

    class Meta:
        model = Station
        fields = ["township", "kind", "active"]

    def __init__(self, *args, townships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = townships  # the user's scope: a secretary's own township only
