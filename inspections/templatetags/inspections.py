from django import template

from ..selectors import findings_for, in_ledger_order

register = template.Library()


@register.simple_tag(takes_context=True)
def village_findings(context, village):
    """The village's inspection findings in the user's scope in the ledger's order (the village page shows
    them: the organisation tree does not import the inspections, which read it). None for roles that
    do not see business data."""
    return in_ledger_order(findings_for(context["user"]).filter(village=village))
