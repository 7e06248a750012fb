from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index_latest, name="index"),
    path("index/<str:period>/", public_views.index_period, name="period"),
    path("index/<str:period>/village/<str:code>/", public_views.village_page, name="village"),
    path("index/<str:period>/village/<str:code>/notice/", public_views.village_notice, name="notice"),
    path("open-data/<str:period>.csv", public_views.open_data_csv, name="open_data_csv"),
    path("open-data/<str:period>.json", public_views.open_data_json, name="open_data_json"),
    path("methodology/", public_views.methodology, name="methodology"),
    path("stars/", public_views.stars_latest, name="stars_latest"),
    path("stars/<int:year>/", public_views.stars_year, name="stars"),
    path("stars/village/<str:code>/", public_views.village_stars, name="village_stars"),
]
