from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.mine, name="home"),
    path("register/", views.register, name="register"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/feed.atom", views.feed, name="feed"),
    path("open-data/<str:dataset>.<str:fmt>", views.open_data_file, name="open_data_file"),
    path("overview/", views.overview, name="overview"),
    path("cities/<int:city_id>/", views.city, name="city"),
    path("contact/new/", views.contact_new, name="contact_new"),
    path("contact/<int:pk>/", views.contact, name="contact"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/<str:stage>/", views.move, name="move"),
    path("documents/<int:pk>/", views.document, name="document"),
]
