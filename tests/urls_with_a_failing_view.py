"""The project's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from lianjie.urls import urlpatterns as project_urlpatterns


def fails(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [*project_urlpatterns, path("fails/", fails)]
