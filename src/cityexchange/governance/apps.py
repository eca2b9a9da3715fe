from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "cityexchange.governance"
    label = "governance"
