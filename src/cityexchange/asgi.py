import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
application = get_asgi_application()

from cityexchange.core.secret_key import refuse_default_key_in_production  # noqa: E402 - needs the settings

refuse_default_key_in_production()
