from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cityexchange.core"
    label = "core"

    def ready(self) -> None:
        from . import secret_key  # noqa: F401 - registers the system check
