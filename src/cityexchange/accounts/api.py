from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from cityexchange.core import hooks
from cityexchange.core.api_support import AUTH_REQUIRED, RATE_LIMITED, ErrorOut
from cityexchange.core.errors import InvalidInput, NotFound
from cityexchange.core.ratelimit import api_rate_limit
from cityexchange.core.restrict import get_for
from cityexchange.core.views import actor

from . import services
from .models import ApiToken, CityRole, Invitation

router = Router(tags=["accounts"], auth=AUTH_REQUIRED)
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RoleOut(Schema):
    city_id: int
    city: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    is_secretariat: bool
    roles: list[RoleOut]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class InvitationIn(Schema):
    city_id: int
    email: str
    role: str = CityRole.Role.OFFICER


class InvitationOut(Schema):
    id: int
    city_id: int
    email: str
    role: str
    expires_at: dt.datetime
    accepted_at: dt.datetime | None


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user = actor(request)
    roles = [
        {"city_id": r.city_id, "city": r.city.name, "role": r.role}
        for r in CityRole.objects.filter(user=user).select_related("city")
    ]
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "is_secretariat": user.is_secretariat,
        "roles": roles,
    }


@router.get("/tokens", response=list[TokenOut])
def tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.restrict(actor(request))


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS, **RATE_LIMITED})
@api_rate_limit("token")
def token_create(request: HttpRequest, payload: TokenIn) -> Any:
    token, plain = services.api_token_create(actor=actor(request), name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": plain})


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: int) -> Any:
    token = get_for(actor(request), ApiToken, token_id)
    return services.api_token_revoke(actor=actor(request), token=token)


@router.post("/invitations", response={201: InvitationOut, **ERRORS})
def invitation_create(request: HttpRequest, payload: InvitationIn) -> Any:
    try:
        city = hooks.required("accounts.city")(payload.city_id)  # the registry's get_city
    except NotFound:
        raise InvalidInput(_("There is no city with id %(id)s.") % {"id": payload.city_id}, field="city_id") from None
    invitation, _token = services.invitation_create(
        actor=actor(request), city=city, email=payload.email, role=payload.role
    )
    return Status(201, invitation)


@router.get("/invitations", response=list[InvitationOut])
def invitations(request: HttpRequest) -> Any:
    from .permissions import user_city_ids

    # The invitations of the cities the user coordinates (not every city's for the secretariat).
    coordinated = user_city_ids(actor(request), roles=(CityRole.Role.COORDINATOR,))
    return Invitation.objects.restrict(actor(request)).filter(city_id__in=coordinated).order_by("-created_at")
