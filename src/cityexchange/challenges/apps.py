from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "cityexchange.challenges"
    label = "challenges"
