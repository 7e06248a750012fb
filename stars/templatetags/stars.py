from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stars import selectors

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


@register.filter
def level_of(level, criteria):
    """A level as the criteria name it: stars for villages, the title for a pass mark (勤廉双优示范乡镇…)."""
    if not criteria.is_pass_mark:
        return stars_badge(level)
    if level:
        return format_html('<span class="stars pass">{}</span>', criteria.get_subject_title())
    if level == 0:
        return format_html('<span class="stars stripped">{}</span>', _("title withdrawn"))
    return "—"


# The index's pages show each village's stars through these tags: the index (`scoring`) does not import
# the star rating, which reads the index.


@register.simple_tag
def stars_of_results(year: int, results) -> dict[int, int]:
    """village id → current stars of the year for a list of index results, in one query."""
    return selectors.stars_by_village(year, [result.village_id for result in results])


@register.filter
def stars_of(stars_by_village: dict[int, int], village_id: int) -> int | None:
    return stars_by_village.get(village_id)


@register.simple_tag
def village_stars(year: int, village) -> int | None:
    return selectors.stars_by_village(year, [village.pk]).get(village.pk)


@register.inclusion_tag("stars/_overview.html", takes_context=True)
def star_overview(context) -> dict:
    """The latest year's decided levels per township in the user's scope, for the staff overview."""
    year = selectors.latest_year(context["user"])
    if year is None:
        return {"year": None}
    return {"year": year, "counts": selectors.level_counts_by_township(context["user"], year)}
