from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import VILLAGE_ROLES

from .selectors import village_overview


@role_required(*VILLAGE_ROLES)
def my_village(request: HttpRequest) -> HttpResponse:
    """本村: the own village's index (grade, 体检单, every published period), stars and findings, on a phone."""
    village = request.user.village
    if village is None:  # a cadre's role not yet bound to a village (the workspace says so)
        raise Http404
    return render(request, "villagers/my_village.html", {"overview": village_overview(village)})
