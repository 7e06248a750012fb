from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("notices/", views.notice_list, name="notices"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<int:user_id>/", views.role_edit, name="role_edit"),
    path("roles/<int:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("roles/<int:user_id>/reset-two-factor/", views.second_factor_reset, name="otp_reset"),
]
