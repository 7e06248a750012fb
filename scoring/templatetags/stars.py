from django import template

register = template.Library()


@register.filter
def star_marks(count) -> str:
    """3 → ★★★ (the number is shown beside it for screen readers and print)."""
    return "★" * int(count or 0)
