import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.dates import YEARS
from core.params import TEXT_MAX_LENGTH

from .models import Filing, MemberDepartment


class FilingFilter(django_filters.FilterSet):
    """The 备案 register's search: department, kind, year, opinion still to give, words."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=TEXT_MAX_LENGTH)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=MemberDepartment.objects.all(), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Filing.Kind.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Year"), min_value=YEARS.start, max_value=YEARS.stop - 1)
    pending = django_filters.BooleanFilter(
        label=_("Office's opinion"),
        method="opinion_pending",
        widget=forms.Select(choices=[("", _("All")), ("true", _("still to give")), ("false", _("given"))]),
    )

    class Meta:
        model = Filing
        fields = ["q", "department", "kind", "year", "pending"]

    def search(self, queryset: QuerySet[Filing], name: str, value: str) -> QuerySet[Filing]:
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(content__icontains=value)
            | Q(opinion_text__icontains=value)
        )

    def opinion_pending(self, queryset: QuerySet[Filing], name: str, value: bool | None) -> QuerySet[Filing]:
        if value is None:
            return queryset
        return queryset.filter(opinion="") if value else queryset.exclude(opinion="")
