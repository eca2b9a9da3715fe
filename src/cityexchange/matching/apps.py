from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "cityexchange.matching"
    label = "matching"
