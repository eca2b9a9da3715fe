from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "cityexchange.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        from cityexchange.core import restrict
        from cityexchange.desk import subjects

        from . import permissions
        from .desk_subject import ContactMessageSubject
        from .models import ContactRequest

        restrict.register(*permissions.POLICIES)
        subjects.register(ContactRequest, ContactMessageSubject)  # contact messages on the translation desk
