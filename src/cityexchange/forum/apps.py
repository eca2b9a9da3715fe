from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "cityexchange.forum"
    label = "forum"

    def ready(self) -> None:
        from cityexchange.core import hooks

        from .permissions import is_meeting_organiser

        hooks.provide("cooperation.meeting_organiser", is_meeting_organiser)
