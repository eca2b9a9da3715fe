from __future__ import annotations

import importlib
from contextlib import ExitStack
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from cityexchange.core import hooks

Login = tuple[str, str, str]


class Command(BaseCommand):
    help = "Set up a site: migrate, load the reference data, then (with --demo) demo content and the search index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Also load the demo content and print its logins.")
        parser.add_argument("--countries", default="", help="Only load cities of these ISO codes (comma-separated).")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("load_reference", countries=options["countries"], stdout=self.stdout)
        if not options["demo"]:
            return
        # Demo workflows notify people by e-mail; keep those out of the console. Apps wrap the loaders in what they
        # provide as `demo.load_context`: the matching app defers indexing (the demo publishes over a hundred
        # practices, indexed in one batched pass by its demo step rather than one model call per practice).
        with ExitStack() as stack:
            for load_context in hooks.providers("demo.load_context"):
                stack.enter_context(load_context())
            stack.enter_context(override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"))
            logins = self.load_demos()
        if logins:
            self.stdout.write(self.style.SUCCESS("\nDemo logins (e-mail / password / role):"))
            for email, password, role in logins:
                self.stdout.write(f"  {email:<44} {password:<16} {role}")

    def load_demos(self) -> list[Login]:
        """Each app may ship `demo.py` with `load(stdout)`; apps load in INSTALLED_APPS order, so a later app can
        rely on an earlier app's demo content. Every loader is idempotent."""
        logins: list[Login] = []
        for config in apps.get_app_configs():
            if not config.name.startswith("cityexchange."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            logins.extend(module.load(self.stdout) or [])
        return logins
