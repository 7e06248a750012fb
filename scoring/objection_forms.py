"""The staff's form for an objection that reached them by letter, telephone or visit: the public form's
fields (village, what is wrong, the optional contact, encrypted the same way) with the round objected to
and how it came in."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from villages.models import Village

from .forms import IndexObjectionForm
from .models import IndexObjection, Round

OFFLINE_CHANNELS = [choice for choice in IndexObjection.Channel.choices if choice[0] != IndexObjection.Channel.ONLINE]


class RecordedObjectionForm(IndexObjectionForm):
    field_order = ["round", "channel", "village", "content", "name", "phone"]

    round = forms.ModelChoiceField(label=_("Index"), queryset=Round.objects.none())
    channel = forms.ChoiceField(label=_("Received by"), choices=OFFLINE_CHANNELS)

    def __init__(self, *args: Any, rounds: QuerySet[Round], villages: QuerySet[Village], **kwargs: Any) -> None:
        super().__init__(*args, villages=villages, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["name"].label = _("Name (optional)")
        self.fields["phone"].label = _("Telephone (optional)")
