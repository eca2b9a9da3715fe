from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "cityexchange.governance"
    label = "governance"

    def ready(self) -> None:
        from cityexchange.core import hooks, restrict

        from . import permissions
        from .selectors import admission_vote_under_way

        restrict.register(*permissions.POLICIES)
        hooks.provide("registry.admission_vote", admission_vote_under_way)
