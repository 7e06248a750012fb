from django import template

from accounts.access import may_manage_account

register = template.Library()


@register.filter
def may_manage(acting_user, account) -> bool:
    """{% if user|may_manage:subject %}: the buttons of an account the user may manage (三员分立)."""
    return may_manage_account(acting_user, account)
