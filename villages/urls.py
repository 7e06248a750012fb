from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="list"),
    path("export.xlsx", views.village_export, name="export"),
    # 基层站所, before the village page: "stations/" would read as a village's code.
    path("stations/", views.station_list, name="stations"),
    path("stations/new/<str:township_code>", views.station_new, name="station_new"),
    path("stations/<int:pk>/edit", views.station_edit, name="station_edit"),
    path("stations/<int:pk>/active", views.station_active, name="station_active"),
    path("<str:code>/", views.village_detail, name="detail"),
]
