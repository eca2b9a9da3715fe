from django.urls import path

from . import views

app_name = "challenges"
urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:challenge_id>/", views.detail, name="detail"),
    path("<int:challenge_id>/edit/", views.edit, name="edit"),
    path("<int:challenge_id>/status/", views.set_status, name="status"),
]
