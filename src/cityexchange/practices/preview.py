"""Markdown preview for long text fields (templates/_form.html, static/js/forms.js): the text rendered by the same
renderer and allow-list as the published page, so what the author sees is what readers will see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityexchange.core import locale_format

from .document import MAX_LONG_TEXT
from .rendering import render_markdown


@login_required
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    text = request.POST.get("text", "").replace("\r\n", "\n")
    if len(text) > MAX_LONG_TEXT:
        # No field of any form takes more; rendering it would only cost time.
        html = format_html(
            '<p class="field-error" role="alert">{}</p>',
            _("Too long to preview: %(n)s characters at most.") % {"n": locale_format.number(MAX_LONG_TEXT)},
        )
    elif not text.strip():
        html = format_html('<p class="muted">{}</p>', _("Nothing to preview yet."))
    else:
        html = mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3's allow-list
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
