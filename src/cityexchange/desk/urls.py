from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.desk, name="home"),
    path("languages/", views.languages, name="languages"),
    path("ask/<int:practice_id>/", views.ask, name="ask"),
    path("ask/challenge/<int:challenge_id>/", views.ask_challenge, name="ask_challenge"),
    path("translate/<int:practice_id>/<str:language>/", views.translate, name="translate"),
    path(
        "translate/challenge/<int:challenge_id>/<str:language>/",
        views.translate_challenge,
        name="translate_challenge",
    ),
    path("ask/message/<int:contact_request_id>/", views.ask_message, name="ask_message"),
    path(
        "translate/message/<int:contact_request_id>/<str:language>/",
        views.translate_message,
        name="translate_message",
    ),
    path("translations/<int:version_id>/", views.review, name="review"),
]
