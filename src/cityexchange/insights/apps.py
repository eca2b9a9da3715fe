from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cityexchange.insights"
    label = "insights"
