from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.desk, name="home"),
    path("languages/", views.languages, name="languages"),
    path("ask/<int:practice_id>/", views.ask, name="ask"),
    path("translate/<int:practice_id>/<str:language>/", views.translate, name="translate"),
    path("translations/<int:version_id>/", views.review, name="review"),
]
