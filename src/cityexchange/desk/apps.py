from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "cityexchange.desk"
    label = "desk"

    def ready(self) -> None:
        from cityexchange.core import hooks

        from .selectors import ask_state

        hooks.provide("content.translation_ask", ask_state)
