from django.urls import include, path

from . import views

app_name = "culture"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions.xlsx", views.sessions_export, name="sessions_export"),
    path("new/<str:township_code>/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/edit", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/<str:action>", views.session_action, name="session_action"),
    path("photos/<int:pk>", views.photo, name="photo"),
    path("rosters/", views.rosters, name="rosters"),
    path("rosters/new", views.lecturer_new, name="lecturer_new"),
    path("rosters/<int:pk>/edit", views.lecturer_edit, name="lecturer_edit"),
    path("rosters/<int:pk>/end", views.lecturer_end, name="lecturer_end"),
    path("coverage/<int:year>/<str:township_code>/", views.coverage, name="coverage"),
    path("coverage/<int:year>/<str:township_code>/coverage.xlsx", views.coverage_export, name="coverage_export"),
    path("figures/<int:year>/", views.figures, name="figures"),
    path("venues/", include("culture.venue_urls")),
    path("bulletins/", include("culture.bulletin_urls")),  # 典型案例通报
]
