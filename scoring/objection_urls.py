"""The public side of the index's publicity (公示): the objection form and the receipt page, on the public
site's addresses (mounted at the root by lianjie/urls.py)."""

from django.urls import path

from . import objection_views

app_name = "objection"

urlpatterns = [
    path("index/<str:period>/objection/", objection_views.objection_new, name="new"),
    path("objection/", objection_views.objection_receipt, name="receipt"),
]
