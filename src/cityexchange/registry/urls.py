from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("cities/", views.directory, name="directory"),
    path("cities/suggest/", views.city_suggest, name="city_suggest"),
    path("cities/<int:city_id>/", views.city_detail, name="city"),
    path("cities/<int:city_id>/edit/", views.city_edit, name="city_edit"),
    path("cities/<int:city_id>/team/", views.team, name="team"),
    path("cities/<int:city_id>/membership/", views.membership_manage, name="membership_manage"),
    path("apply/", views.apply, name="apply"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("secretariat/applications/", views.applications_queue, name="applications_queue"),
    path("secretariat/applications/<int:application_id>/", views.application_review, name="application_review"),
]
