import django_filters
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT
from core.params import TEXT_MAX_LENGTH

from .models import AuditEvent, EventType


class AuditEventFilter(django_filters.FilterSet):
    event_type = django_filters.ChoiceFilter(label=_("Event"), choices=EventType.choices)
    actor_username = django_filters.CharFilter(
        label=_("User name"), lookup_expr="icontains", max_length=TEXT_MAX_LENGTH
    )
    target = django_filters.CharFilter(
        label=_("Object"), field_name="target_repr", lookup_expr="icontains", max_length=TEXT_MAX_LENGTH
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DATE_INPUT,
    )
    until = django_filters.DateFilter(
        label=_("To"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DATE_INPUT,
    )

    class Meta:
        model = AuditEvent
        fields = ["event_type", "actor_username", "target", "since", "until"]
