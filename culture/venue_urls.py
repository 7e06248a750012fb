"""The 清廉文化阵地 register, under /culture/venues/ (names in the culture namespace)."""

from django.urls import path

from . import venue_views

urlpatterns = [
    path("", venue_views.venue_list, name="venues"),
    path("venues.xlsx", venue_views.venue_export, name="venues_export"),
    path("new/<str:township_code>/", venue_views.venue_new, name="venue_new"),
    path("<int:pk>/", venue_views.venue, name="venue"),
    path("<int:pk>/edit", venue_views.venue_edit, name="venue_edit"),
    path("<int:pk>/photos", venue_views.venue_photos, name="venue_photos"),
    path("<int:pk>/remove", venue_views.venue_remove, name="venue_remove"),
    path("photos/<int:pk>", venue_views.venue_photo, name="venue_photo"),
    path("photos/<int:pk>/remove", venue_views.venue_photo_remove, name="venue_photo_remove"),
]
