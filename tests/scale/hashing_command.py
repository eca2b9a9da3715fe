"""`python -m tests.scale.hashing_command ARGS…` is `cityexchange ARGS…` with the test encoder in place of the
embedding model (see hashing_app.py): a task worker started by a test indexes with the encoder its app servers
search with."""

from __future__ import annotations

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityexchange.settings")
    django.setup()
    from django.core.management import execute_from_command_line

    from cityexchange.matching import store
    from cityexchange.matching.embedding import DIM, HashingEncoder

    store.set_encoder(HashingEncoder(dim=DIM))
    execute_from_command_line(["cityexchange", *sys.argv[1:]])


if __name__ == "__main__":
    main()
