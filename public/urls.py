from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index_latest, name="index"),
    path("index/<str:period>/", views.index_period, name="period"),
    path("index/<str:period>/village/<str:code>/", views.village_page, name="village"),
    path("index/<str:period>/village/<str:code>/notice/", views.village_notice, name="notice"),
    # Before the periods' files: "all" is no period.
    path("open-data/all.csv", views.open_data_all_csv, name="open_data_all_csv"),
    path("open-data/all.json", views.open_data_all_json, name="open_data_all_json"),
    path("open-data/<str:period>.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/<str:period>.json", views.open_data_json, name="open_data_json"),
    path("methodology/", views.methodology, name="methodology"),
    path("stars/", views.stars_latest, name="stars_latest"),
    path("stars/<int:year>/", views.stars_year, name="stars"),
    path("stars/<int:year>/townships-and-stations/", views.subject_ratings, name="subject_ratings"),
    path("stars/village/<str:code>/", views.village_stars, name="village_stars"),
    path("townships/<str:township_code>/venues/", views.township_venues, name="township_venues"),  # 清廉文化阵地
    path("venues/photos/<int:pk>", views.venue_photo, name="venue_photo"),
]
