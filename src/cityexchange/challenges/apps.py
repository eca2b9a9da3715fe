from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "cityexchange.challenges"
    label = "challenges"

    def ready(self) -> None:
        from cityexchange.core import hooks

        from .selectors import city_challenges

        hooks.provide("practices.city_challenges", city_challenges)
