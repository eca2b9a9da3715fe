from django.contrib.auth.views import LogoutView
from django.urls import path

from . import roles_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.Login.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("me/", views.profile, name="profile"),
    path("me/time-zone/", views.time_zone, name="time_zone"),
    path("roles/", roles_views.city_roles, name="city_roles"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify/", views.verify_resend, name="verify_resend"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/reset/", views.PasswordReset.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDone.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetComplete.as_view(), name="password_reset_complete"),
]
