from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("challenges/<int:challenge_id>/", views.challenge_recommendations, name="recommendations"),
    path("cities/<int:city_id>/", views.city_peers, name="peers"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("alerts/<int:alert_id>/delete/", views.alert_delete, name="alert_delete"),
    path("feedback/", views.feedback, name="feedback"),
]
