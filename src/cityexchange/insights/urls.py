from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.map_page, name="map"),
    path("network/", views.network_page, name="network"),
    path("figures/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("figures/<slug:slug>.svg", views.figure_svg, name="figure_svg"),
    path("report/", views.report_download, name="report"),
]
