import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.params import TEXT_MAX_LENGTH
from villages.models import Township

from .models import Grade, VillageResult


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Village"), method="search", max_length=TEXT_MAX_LENGTH)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), field_name="village__township", queryset=Township.objects.none(), empty_label=_("All")
    )
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label=_("All"))
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("district_rank", "rank"), ("total", "total"), ("village__code", "code")),
        field_labels={"rank": _("rank"), "total": _("total"), "code": _("division code")},
        empty_label=None,
    )

    class Meta:
        model = VillageResult
        fields = ["q", "township", "grade"]

    def __init__(self, *args, townships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = townships

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(village__name__icontains=value) | Q(village__code__startswith=value))
