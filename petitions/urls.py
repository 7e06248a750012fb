from django.urls import include, path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_new, name="new"),
    path("new/villages", views.village_options, name="villages"),
    path("due/", views.due, name="due"),
    path("board/", views.board, name="board"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.petition_detail, name="petition"),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/<str:action>", views.petition_action, name="action"),
    path("evidence/<int:pk>", views.listing_evidence, name="evidence"),
    path("", include("petitions.visit_urls")),  # 主动下访
]
