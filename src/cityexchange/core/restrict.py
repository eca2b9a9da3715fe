"""One way in for every read: what a user may see or do with a model is a filter on its query, declared once.

NetBox's pattern. Each app declares, in its `permissions.py`, one `Policy` per model it guards: a method per
action (`view` always, then e.g. `edit`, `moderate`) that returns the `Q` of the rows `user` may act on, and the
messages for "not found" and "not allowed". The app registers its policies in `AppConfig.ready()`
(`restrict.register(*permissions.POLICIES)`). Then every read goes through one of:

- `Practice.objects.restrict(user, "edit")` (the model's manager is `RestrictedQuerySet.as_manager()`), or
  `restrict(queryset, user, action)` for any queryset of a registered model: the rows `user` may see *and* act on;
- `get_for(user, Practice, pk, action="edit")` (or a queryset instead of the model, to keep its
  `select_related`): one object, or `NotFound` (404) when it does not exist or `user` may not see it (the same
  answer, so nobody learns what exists), or `PermissionDenied` (403) when `user` sees it but may not do `action`;
- `allows(user, obj, action)`: the action's rule as a yes/no for an object in hand (services' permission checks).

Pages turn `NotFound` into a 404 page (core.middleware), the API into `{"detail": ...}` with 404 (api.py).
`tests/core/test_restrict.py` walks every registered policy × action × role over a small world and fails on a leak.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Self, TypeVar, overload

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.utils.functional import Promise

from .errors import NotFound, PermissionDenied
from .ids import safe_id

M = TypeVar("M", bound=Model)

# A filter that matches every row, and one that matches none (Django answers it without a query). Not `Q()`: an
# empty Q vanishes when combined (`Q(a) | Q()` is `Q(a)`), so "published or everything" would lose the everything.
EVERYTHING = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


class Policy(Generic[M]):
    """What a user may see and do with one model, as filters on its query.

    Subclass per model: set `model`, `actions` (the first is "view") and `not_found`; write one method per action,
    `def edit(self, user) -> Q`, returning the rows `user` may act on. Every other action is checked together
    with `view` (nobody acts on what they may not see). Write each rule with subqueries (`city_id__in=...`), not
    joins over many-valued relations, so that no row comes back twice.
    """

    model: ClassVar[type[Model]]
    actions: ClassVar[tuple[str, ...]] = ("view",)
    not_found: ClassVar[str | Promise]  # a lazy translation: "There is no such practice, or you may not see it."

    def view(self, user: Any) -> Q:
        raise NotImplementedError

    def refusal(self, action: str, obj: M) -> str:
        """The 403 message when `user` sees `obj` but may not do `action` (override where there are actions)."""
        raise NotImplementedError(f"{type(self).__name__} has no refusal message for {action!r}")

    def rule(self, user: Any, action: str, *, seen: bool = True) -> Q:
        """The filter of the rows `user` may do `action` to; with `seen`, only among those `user` may see."""
        if action not in self.actions:
            raise ValueError(f"{self.model.__name__} has no action {action!r} (it has {', '.join(self.actions)})")
        if action == "view":
            return self.view(user)
        rows: Q = getattr(self, action)(user)
        return self.view(user) & rows if seen else rows


_policies: dict[type[Model], Policy[Any]] = {}


def register(*policies: Policy[Any]) -> None:
    """Register policies (from the app's `AppConfig.ready()`); a second `ready()` replaces them with equal ones."""
    for policy in policies:
        if policy.actions[:1] != ("view",):
            raise ImproperlyConfigured(f"{type(policy).__name__}: the first action must be 'view'")
        for action in policy.actions:
            if not callable(getattr(policy, action, None)):
                raise ImproperlyConfigured(f"{type(policy).__name__} declares {action!r} without a method")
        _policies[policy.model] = policy


def registered() -> dict[type[Model], Policy[Any]]:
    """Every registered policy by model (the generic leak test walks them)."""
    return dict(_policies)


def policy_for(model: type[Model]) -> Policy[Any]:
    found = _policies.get(model)
    if found is None:
        raise ImproperlyConfigured(f"no policy is registered for {model.__name__}: declare it in its permissions.py")
    return found


def restrict(queryset: QuerySet[M], user: Any, action: str = "view") -> QuerySet[M]:
    """The rows of `queryset` that `user` may do `action` to."""
    return queryset.filter(policy_for(queryset.model).rule(user, action))


class RestrictedQuerySet(QuerySet[M]):
    """The manager of every guarded model: `Model.objects.restrict(user, action)`."""

    def restrict(self, user: Any, action: str = "view") -> Self:
        return self.filter(policy_for(self.model).rule(user, action))


@overload
def get_for(user: Any, source: type[M], pk: Any = ..., action: str = ..., **lookup: Any) -> M: ...
@overload
def get_for(user: Any, source: QuerySet[M], pk: Any = ..., action: str = ..., **lookup: Any) -> M: ...
def get_for(user: Any, source: Any, pk: Any = None, action: str = "view", **lookup: Any) -> Any:
    """The one object of `source` (a model or a queryset of it) with this `pk` (or these `lookup` fields, e.g.
    `slug=...`) that `user` may see: NotFound when there is none or it is hidden, PermissionDenied when it is seen
    but `action` is not allowed. An id that no row could have (not a positive 64-bit integer) is simply not found.
    """
    queryset: QuerySet[Any] = source if isinstance(source, QuerySet) else source._default_manager.all()
    policy = policy_for(queryset.model)
    policy.rule(user, action)  # an unknown action is a programming error, whatever the id
    if pk is not None or not lookup:
        lookup["pk"] = safe_id(pk)
    found = None if lookup.get("pk") == 0 else restrict(queryset, user).filter(**lookup).first()
    if found is None:
        raise NotFound(str(policy.not_found))
    if action != "view" and not allows(user, found, action):
        raise PermissionDenied(policy.refusal(action, found))
    return found


def allows(user: Any, obj: Model, action: str) -> bool:
    """Whether the policy's `action` rule admits `obj` (a saved row) for `user`: the yes/no a service asks about an
    object it was handed. Whether `user` may see `obj` at all is `get_for`'s first step, not asked here."""
    model = type(obj)
    rule = policy_for(model).rule(user, action, seen=False)
    return model._default_manager.filter(rule, pk=obj.pk).exists()
