"""The WSGI application with the small deterministic test encoder in place of the embedding model, for tests
that start app-server processes: every process of a test must embed with the same encoder, and the model is not
what those tests are about."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
application = get_wsgi_application()

from cityexchange.matching import store  # noqa: E402  (needs the apps loaded)
from cityexchange.matching.embedding import DIM, HashingEncoder  # noqa: E402

store.set_encoder(HashingEncoder(dim=DIM))
