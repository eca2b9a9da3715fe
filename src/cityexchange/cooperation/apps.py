from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cityexchange.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        from cityexchange.core import restrict

        from . import permissions

        restrict.register(*permissions.POLICIES)
