from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "cityexchange.governance"
    label = "governance"

    def ready(self) -> None:
        from cityexchange.core import hooks

        from .selectors import admission_vote_under_way

        hooks.provide("registry.admission_vote", admission_vote_under_way)
