from django import template

from .. import services

register = template.Library()


@register.inclusion_tag("petitions/_nav.html", takes_context=True)
def petitions_nav(context) -> dict:
    """The petition pages' buttons, each shown to whom its service allows it."""
    user = context["user"]
    return {
        "sees_cases": services.can_see_cases(user),
        "may_register": services.handles_cases(user),
        "takes_listed_cases": services.takes_listed_cases(user),
    }


@register.filter
def may_read_identity(user) -> bool:  # the petition office alone reads who petitioned
    return services.handles_cases(user)
