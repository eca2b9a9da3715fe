from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "cityexchange.desk"
    label = "desk"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions
        from .selectors import ask_state

        restrict.register(*permissions.POLICIES)
        hooks.provide("content.translation_ask", ask_state)
