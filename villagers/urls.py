from django.urls import path

from . import views

app_name = "villagers"

urlpatterns = [
    path("", views.my_village, name="mine"),
]
