from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "cityexchange.practices"
    label = "practices"

    def ready(self) -> None:
        from cityexchange.core import restrict

        from . import permissions

        restrict.register(*permissions.POLICIES)
