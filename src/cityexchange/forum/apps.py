from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "cityexchange.forum"
    label = "forum"
