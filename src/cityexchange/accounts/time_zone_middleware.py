"""Times in the zone the signed-in user chose in their account (`User.time_zone`).

For each request the chosen zone becomes Django's current zone (so `{{ t|local_datetime }}` and forms show it) and
the reader's zone of `core.locale_format`, which adds the user's own time beside a time shown in another zone (an
event's inside `{% timezone %}`, the association's UTC). Without a choice the site's zone (UTC) stays current and
nothing is added. Both are reset after the response, so a thread never hands one user's zone to the next request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cityexchange.core import locale_format


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        key = getattr(user, "time_zone", "") if getattr(user, "is_authenticated", False) else ""
        zone = locale_format.zone_info(key)
        if zone is not None:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        token = locale_format.set_reader_zone(key if zone is not None else "")
        try:
            return self.get_response(request)
        finally:
            locale_format.reset_reader_zone(token)
            timezone.deactivate()
