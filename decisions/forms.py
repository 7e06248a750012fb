from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_INPUT, DateInRangeField
from core.forms import MultipleFileField
from core.versioning import VersionedForm

from .models import MajorDecision
from .services import SAY_WHERE_AND_WHAT, DecisionText

TEXT = forms.Textarea(attrs={"rows": 3})


class DecisionForm(VersionedForm):
    """A decision as its township reports it: what, how much, when, and the parts of 五有一化 known when
    it is made (the evaluation comes later, on the report's page)."""

    category = forms.ChoiceField(label=_("Category (三重一大)"), choices=MajorDecision.Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, max_digits=14, decimal_places=2, min_value=Decimal(0)
    )
    decided_on = DateInRangeField(label=_("Decided on"), widget=DATE_INPUT)
    rules_basis = forms.CharField(
        label=_("Rules it rests on (有规则)"),
        widget=TEXT,
        max_length=4000,
        required=False,
        help_text=_("The regulations, the township's rules of procedure and the documents the decision follows."),
    )
    proposal = forms.CharField(label=_("Proposal (提议)"), widget=TEXT, max_length=4000, required=False)
    deliberation = forms.CharField(
        label=_("Deliberation (酝酿论证、征求意见)"), widget=TEXT, max_length=4000, required=False
    )
    vote = forms.CharField(
        label=_("Vote (会议表决)"),
        widget=TEXT,
        max_length=4000,
        required=False,
        help_text=_("The meeting, those present and the result of the vote."),
    )
    minutes = MultipleFileField(label=_("Minutes and other evidence of the procedure (PDF, JPEG, PNG, Word, Excel)"))
    monitor = forms.CharField(label=_("Who monitors it (有监控)"), max_length=200, required=False)
    accountability = forms.CharField(
        label=_("Accountability if it goes wrong (有追究)"), widget=TEXT, max_length=4000, required=False
    )
    made_public = forms.BooleanField(label=_("Made public (公开化)"), required=False)
    public_where = forms.CharField(label=_("Where it was made public"), max_length=200, required=False)
    public_summary = forms.CharField(
        label=_("Public summary"),
        widget=TEXT,
        max_length=2000,
        required=False,
        help_text=_("Shown on the public site when the decision was made public: no names, no minutes."),
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        said = data and (data.get("public_where") or "").strip() and (data.get("public_summary") or "").strip()
        if data and data.get("made_public") and not said:
            self.add_error("public_where", SAY_WHERE_AND_WHAT)
        return data

    def text(self) -> DecisionText:
        data = self.cleaned_data
        return DecisionText(
            category=data["category"],
            subject=data["subject"],
            amount=data["amount"],
            decided_on=data["decided_on"],
            rules_basis=data["rules_basis"],
            proposal=data["proposal"],
            deliberation=data["deliberation"],
            vote=data["vote"],
            monitor=data["monitor"],
            accountability=data["accountability"],
            made_public=data["made_public"],
            public_where=data["public_where"],
            public_summary=data["public_summary"],
        )

    @classmethod
    def initial_of(cls, decision: MajorDecision) -> dict[str, Any]:
        names = [name for name in cls.base_fields if name not in ("minutes", "version")]
        return {"version": decision.version, **{name: getattr(decision, name) for name in names}}


class EvaluationForm(VersionedForm):
    evaluation = forms.CharField(
        label=_("Evaluation (有测评)"),
        widget=TEXT,
        max_length=4000,
        help_text=_("How the decision has turned out: carried out as decided, its effect, what the people say."),
    )
    evaluated_on = DateInRangeField(label=_("Evaluated on"), widget=DATE_INPUT)


class ReviewForm(VersionedForm):
    ACCEPT, RETURN = "accept", "return"
    outcome = forms.ChoiceField(
        label=_("Review"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return to be completed"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        widget=TEXT,
        max_length=2000,
        required=False,
        help_text=_("Required when returning: the township's secretary is told it."),
    )


class RuleForm(forms.Form):
    working_days = forms.IntegerField(label=_("Report within (working days)"), min_value=1, max_value=30)
