"""The confirmation step of irreversible actions (closing a vote, publishing a schedule, approving a city, ending
or suspending a membership).

The form that asks for such an action posts without the confirmation field; the view then answers with a page that
says what will happen, with the action's button and Cancel. That page posts the same fields again plus
`confirm=yes`, and only a POST carrying it acts. A single click, a double submit or a forged form without the field
therefore does nothing but show the confirmation. Works without JavaScript. API clients confirm by calling the
endpoint: the API acts at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    button: str,
    cancel_url: str,
    danger: bool = True,
) -> HttpResponse:
    """The confirmation page: `consequences` say what will happen; the form re-posts what was posted (the action,
    a reason...) to the same address with the confirmation field."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "fields": fields,
        "danger": danger,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
    }
    return render(request, "confirm.html", context)
