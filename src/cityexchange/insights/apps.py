from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cityexchange.insights"
    label = "insights"

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
