"""Pages live under a language prefix (/en/, /ru/, /ar/ …); the API, admin and static files do not."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from cityexchange.api import api

admin.site.site_header = "cityexchange · secretariat"

app_pages: list[URLPattern | URLResolver] = []
# Each later app contributes its pages by shipping urls.py with `app_name`; they mount under /<app>/.
for name in ("practices", "challenges", "desk", "matching", "cooperation", "forum", "insights", "governance"):
    try:
        importlib.import_module(f"cityexchange.{name}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"cityexchange.{name}.urls":
            raise
        continue
    app_pages.append(path(f"{name}/", include(f"cityexchange.{name}.urls")))

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("cityexchange.accounts.urls")),
    *app_pages,
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("cityexchange.registry.urls")),
    prefix_default_language=True,
)
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
