from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def star_marks(count) -> str:
    """3 → ★★★ (the number is shown beside it for screen readers and print)."""
    return "★" * int(count or 0)


@register.filter
def stars_badge(stars):
    """A star level as every list shows it: ★★★ with the count, "all stars stripped" for 0, — for none.
    A filter rather than an included template: the public index shows it on each of its 50 rows."""
    if stars:
        count = ngettext("%(stars)s star", "%(stars)s stars", stars) % {"stars": stars}
        return format_html(
            '<span class="stars"><span aria-hidden="true">{}</span> <span class="stars-count">{}</span></span>',
            star_marks(stars),
            count,
        )
    if stars == 0:
        return format_html('<span class="stars stripped">{}</span>', _("all stars stripped"))
    return "—"
