"""URLs for `manage.py benchmark` only: the project's URLs plus a trivial view to compare against."""

from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [*project_urlpatterns, path("benchmark/trivial", trivial)]
