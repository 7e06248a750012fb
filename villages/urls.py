from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="list"),
    path("export.xlsx", views.village_export, name="export"),
    path("<str:code>/", views.village_detail, name="detail"),
]
