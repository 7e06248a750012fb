"""主动下访 URLs, under the petitions' (/petitions/visits/…)."""

from django.urls import path

from . import visit_views

urlpatterns = [
    path("visits/", visit_views.visits, name="visits"),
    path("visits/<int:year>.xlsx", visit_views.visits_export, name="visits_export"),
    path("visits/new/", visit_views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visit_views.visit, name="visit"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/issues/<int:pk>/register/", visit_views.issue_register, name="visit_issue_register"),
]
