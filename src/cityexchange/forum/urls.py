from django.urls import path

from . import setup_views, views

app_name = "forum"
urlpatterns = [
    path("", views.events, name="events"),
    path("<slug:slug>/", views.event_detail, name="event"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/delegates/", views.delegates, name="delegates"),
    path("<slug:slug>/requests/", views.requests_page, name="requests"),
    path("<slug:slug>/requests/new/", views.request_new, name="request_new"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/print/", views.agenda_print, name="agenda_print"),
    path("<slug:slug>/agenda.ics", views.agenda_ical, name="agenda_ics"),
    path("<slug:slug>/badge/", views.badge, name="badge"),
    path("<slug:slug>/meetings/<int:meeting_id>/held/", views.meeting_held, name="meeting_held"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/check-in/", views.check_in, name="check_in"),
    path("<slug:slug>/check-in/<str:token>/", views.check_in_badge, name="check_in_badge"),
    path("<slug:slug>/manage/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/manage/setup/", setup_views.setup, name="setup"),
    path("<slug:slug>/manage/schedule/status/", views.schedule_status, name="schedule_status"),
]
