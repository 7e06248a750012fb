from django import template

from accounts.roles import CITY_ROLES, INDEX_ROLES

from ..selectors import findings_for, in_ledger_order

register = template.Library()


@register.simple_tag(takes_context=True)
def village_findings(context, village):
    """The village's inspection findings in the user's scope in the ledger's order (the village page shows
    them: the organisation tree does not import the inspections, which read it). None for roles that
    do not see business data."""
    return in_ledger_order(findings_for(context["user"]).filter(village=village))


@register.filter
def opens_findings(user) -> bool:
    """A finding's own page is for its township's secretary and its county's commission; the city reads
    the ledger only."""
    return user.is_authenticated and user.has_role(*INDEX_ROLES)


@register.filter
def reads_counties(user) -> bool:
    """The city's roles read every county's findings: a list names each one's county."""
    return user.is_authenticated and user.has_role(*CITY_ROLES)
