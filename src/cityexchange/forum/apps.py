from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "cityexchange.forum"
    label = "forum"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions

        restrict.register(*permissions.POLICIES)
        hooks.provide("cooperation.meeting_organiser", permissions.is_meeting_organiser)
