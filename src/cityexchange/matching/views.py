from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityexchange.accounts.permissions import user_city_ids
from cityexchange.challenges.models import Challenge
from cityexchange.core.errors import DomainError, NotFound
from cityexchange.core.ratelimit import enforce, rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor, apply_error, posted_id, safe_next
from cityexchange.practices.selectors import practices_visible_to
from cityexchange.registry.models import City
from cityexchange.registry.selectors import get_city

from . import search, services
from .filters import PracticeSearchFilters, engine_filters
from .forms import AlertForm
from .models import Alert, Feedback


def _viewer_city(request: HttpRequest) -> City | None:
    ids = list(user_city_ids(actor(request)).values_list("city_id", flat=True)[:1])
    return City.objects.filter(pk=ids[0]).first() if ids else None


def search_page(request: HttpRequest) -> HttpResponse:
    filters = PracticeSearchFilters(request.GET)
    form = filters.form
    results: list[search.Result] = []
    valid = bool(request.GET) and form.is_valid()
    if valid and filters.q:
        enforce(request, "search")
        results = search.find(actor(request), filters, viewer_city=_viewer_city(request))
    status = 422 if request.GET and form.errors else 200
    strong, possible = search.strong_and_possible(results)
    context = {"form": form, "results": results, "strong": strong, "possible": possible}
    if valid and engine_filters(filters):
        context["clear_filters_url"] = "?" + urlencode({"q": filters.q})
    return render(request, "matching/search.html", context, status=status)


@rate_limit("recommend")
def challenge_recommendations(request: HttpRequest, challenge_id: int) -> HttpResponse:
    challenge = get_for(actor(request), Challenge, challenge_id)
    results = search.recommend_for_challenge(actor(request), challenge)
    cities = search.peer_cities_for_challenge(actor(request), challenge)
    subscribed = (
        request.user.is_authenticated and Alert.objects.restrict(actor(request)).filter(challenge=challenge).exists()
    )
    strong, possible = search.strong_and_possible(results)
    context = {
        "challenge": challenge,
        "results": results,
        "strong": strong,
        "possible": possible,
        "cities": cities,
        "subscribed": subscribed,
    }
    return render(request, "matching/recommendations.html", context)


@rate_limit("recommend")
def city_peers(request: HttpRequest, city_id: int) -> HttpResponse:
    city = get_city(city_id)
    peers = search.cities_like(city)
    counts = search.practice_counts_by_city([c.pk for c, _s in peers])
    rows = [{"city": c, "score": s, "practices": counts.get(c.pk, 0)} for c, s in peers]
    return render(request, "matching/peers.html", {"city": city, "rows": rows})


@login_required
def alerts_page(request: HttpRequest) -> HttpResponse:
    form = AlertForm(request.POST or None)
    if request.method == "POST":
        city = _viewer_city(request)
        try:
            if city is None:
                raise NotFound(_("You do not work for an active member city."))
            challenge = None
            if request.POST.get("challenge"):
                challenge = get_for(actor(request), Challenge, posted_id(request, "challenge"))
            query = form.data.get("query", "")
            searched = PracticeSearchFilters(request.POST)
            filters = engine_filters(searched) if searched.is_valid() else {}
            services.alert_create(actor=actor(request), city=city, challenge=challenge, query=query, filters=filters)
        except DomainError as exc:
            apply_error(request, form, exc)
        else:
            messages.success(request, _("You will be told when a new practice matches."))
            return redirect(safe_next(request, "matching:alerts"))
    alerts = Alert.objects.restrict(actor(request)).select_related("challenge", "city").prefetch_related("hits")
    return render(request, "matching/alerts.html", {"form": form, "alerts": alerts}, status=422 if form.errors else 200)


@login_required
@require_POST
def alert_delete(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_for(actor(request), Alert, alert_id)
    services.alert_delete(actor=actor(request), alert=alert)
    return redirect("matching:alerts")


@login_required
@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    practice = practices_visible_to(actor(request)).filter(pk=posted_id(request, "practice")).first()
    if practice is None:
        raise NotFound(_("There is no such practice."))
    challenge = None
    if request.POST.get("challenge"):
        challenge = get_for(actor(request), Challenge, posted_id(request, "challenge"))
    services.feedback_record(
        actor=actor(request),
        practice=practice,
        useful=request.POST.get("useful") == "1",
        source=Feedback.Source.CHALLENGE if challenge else Feedback.Source.SEARCH,
        query=request.POST.get("q", ""),
        challenge=challenge,
        rank=posted_id(request, "rank") or None,
    )
    if request.headers.get("HX-Request"):
        return HttpResponse(_("Thank you."))
    messages.success(request, _("Thank you for the feedback."))
    return redirect(safe_next(request, "matching:search"))
