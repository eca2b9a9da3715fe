from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "cityexchange.challenges"
    label = "challenges"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions
        from .selectors import city_challenges

        restrict.register(*permissions.POLICIES)
        hooks.provide("practices.city_challenges", city_challenges)
