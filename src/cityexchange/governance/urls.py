from django.urls import path

from . import names_views, seats_views, views

app_name = "governance"
urlpatterns = [
    path("", views.home, name="home"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("bodies/<int:body_id>/", views.body, name="body"),
    path("bodies/<int:body_id>/names/", names_views.body_names, name="body_names"),
    path("bodies/<int:body_id>/seats/", seats_views.seats, name="seats"),
    path("votes/", views.votes, name="votes"),
    path("votes/new/", views.vote_new, name="vote_new"),
    path("votes/<int:vote_id>/", views.vote, name="vote"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:group_id>/", views.group, name="group"),
    path("groups/<int:group_id>/names/", names_views.group_names, name="group_names"),
    path("groups/<int:group_id>/members/", seats_views.group_members, name="group_members"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("cities/<int:city_id>/delegate/", views.delegate, name="delegate"),
]
