from django.urls import path

from . import preview, views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("export/", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("my-city/", views.my_city, name="my_city"),
    path("review/", views.queue, name="queue"),
    path("preview/", preview.preview, name="preview"),
    path("<int:practice_id>/", views.detail, name="detail"),
    path("<int:practice_id>/edit/", views.edit, name="edit"),
    path("<int:practice_id>/workflow/", views.transition, name="transition"),
    path("<int:practice_id>/versions/", views.versions, name="versions"),
    path("<int:practice_id>/translations/", views.translation, name="translation"),
    path("<int:practice_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:practice_id>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(
        "<int:practice_id>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
