"""The admin as a thin face over the services.

Django's admin writes rows itself (`obj.save()`, `formset.save()`, `queryset.delete()`), which would make it a
second write path without permission checks or audit rows. `ServiceAdmin` and `ServiceInline` close it: every
write the admin can make goes to a method the app's admin declares, and that method calls a service with the
admin user as the actor. What is not declared is not offered (no add, change or delete permission), so a model
registered without services is read-only.

An app declares, on its ModelAdmin:
- `create(request, data)`: `data` holds the cleaned values of `add_fields`; returns the new object.
- `update(request, obj, data, changed)`: only `change_fields` are editable; called when one of them changed.
- `remove(request, obj)`: the delete view and the "delete selected" action go through it, one object at a time.
- actions decorated with `service_action`, which marks them as calling a service.
and, on an inline, `create(request, parent, data)` and `remove(request, obj)`.

A service's refusal (`DomainError`) rolls the whole admin request back and is shown as an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# Write methods of ModelAdmin that the mixin owns; an app's admin overriding one of them would write around it.
ROUTED_METHODS = ("save_model", "delete_model", "save_formset", "save_related", "delete_queryset")


def service_action(
    description: str | Any, permissions: Sequence[str] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`admin.action` for an action that changes state only through a service; marks it so the admin test sees it."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        func.calls_service = True  # type: ignore[attr-defined]
        return admin.action(description=description, permissions=permissions)(func)

    return wrap


def _declared(instance: Any, base: type, name: str) -> bool:
    return getattr(type(instance), name) is not getattr(base, name)


def _model_field_names(model: type[models.Model]) -> list[str]:
    opts = model._meta
    return [f.name for f in [*opts.concrete_fields, *opts.many_to_many] if f.editable and not f.auto_created]


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes all go through declared services; read-only where none is declared."""

    routed_to_services: ClassVar[bool] = True
    add_fields: ClassVar[Sequence[str]] = ()
    change_fields: ClassVar[Sequence[str]] = ()

    # --- what an app's admin declares ---------------------------------------------------------------------------
    def create(self, request: HttpRequest, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any], changed: list[str]) -> models.Model:
        raise NotImplementedError

    def remove(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    # --- lists ----------------------------------------------------------------------------------------------------
    def get_list_select_related(self, request: HttpRequest) -> Any:
        """The foreign keys the list shows, one level deep. Django's default for a list showing any foreign key is
        ``select_related()`` without names, which follows every non-null key however deep: 20 and more joins (a
        meeting request reaches registrations, users, cities, countries, blocs), past PostgreSQL's exhaustive
        planner, whose randomised fallback picked plans that ran for minutes on freshly emptied tables."""
        chosen = super().get_list_select_related(request)
        if chosen is not False:
            return chosen
        keys = []
        for name in self.list_display:
            if not isinstance(name, str):
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one and name != getattr(field, "attname", name):
                keys.append(name)
        return tuple(keys)

    # --- permissions follow what is declared ---------------------------------------------------------------------
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _declared(self, ServiceAdmin, "create") and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _declared(self, ServiceAdmin, "update") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _declared(self, ServiceAdmin, "remove") and super().has_delete_permission(request, obj)

    # --- forms show only what the services take ---------------------------------------------------------------
    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None and self.add_fields:
            return list(self.add_fields)
        return super().get_fields(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None and self.add_fields:
            return [(None, {"fields": list(self.add_fields)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        declared = list(super().get_readonly_fields(request, obj))
        if obj is None or not _declared(self, ServiceAdmin, "update"):
            return declared  # (without an update service Django shows every field read-only by itself)
        keep = set(self.change_fields) | set(declared) | set(self.exclude or ())
        return declared + [n for n in _model_field_names(self.model) if n not in keep]

    # --- the write paths, routed -----------------------------------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        if not change:
            created = self.create(request, {n: form.cleaned_data.get(n) for n in self.add_fields})
            # The admin goes on with its own (unsaved) instance: it needs the new row's id for its log and redirect.
            obj.pk = created.pk
            obj._state.adding = False
            return
        changed = [n for n in form.changed_data if n in self.change_fields]
        if changed:
            # The form has already copied its values onto `obj`; the service must see the row as it is stored.
            stored = type(obj)._default_manager.get(pk=obj.pk)
            self.update(request, stored, {n: form.cleaned_data.get(n) for n in self.change_fields}, changed)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        # No form.save_m2m(): many-to-many values went to the service with the rest of the form.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        inline = self._inline_for(request, formset.model, form.instance)
        # What formset.save() would have set; the admin's change message reads it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                inline.remove(request, row.instance)
                formset.deleted_objects.append(row.instance)
        for row in formset.extra_forms:
            if row.has_changed() and not formset._should_delete_form(row):
                data = {n: row.cleaned_data.get(n) for n in inline.add_fields}
                formset.new_objects.append(inline.create(request, form.instance, data))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.remove(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.remove(request, obj)

    def _inline_for(self, request: HttpRequest, model: type[models.Model], parent: Any) -> ServiceInline:
        for inline in self.get_inline_instances(request, parent):
            if inline.model is model and isinstance(inline, ServiceInline):
                return inline
        raise TypeError(f"{type(self).__name__}: the inline for {model.__name__} must be a ServiceInline")

    # --- a refusal is a message, and nothing is kept ----------------------------------------------------------
    def _refused(self, request: HttpRequest, exc: DomainError) -> HttpResponse:
        self.message_user(request, _("Refused: %(reason)s") % {"reason": exc.message}, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        # Django wraps the view in transaction.atomic, so by the time the error reaches here every write is undone.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)


class ServiceInline(admin.options.InlineModelAdmin):
    """An inline of a ServiceAdmin: rows are added and removed through declared services, never edited in place."""

    routed_to_services: ClassVar[bool] = True
    add_fields: ClassVar[Sequence[str]] = ()
    extra = 0

    def create(self, request: HttpRequest, parent: Any, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def remove(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _declared(self, ServiceInline, "create") and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _declared(self, ServiceInline, "remove") and super().has_delete_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return list(self.add_fields) if self.add_fields else super().get_fields(request, obj)


class ServiceTabularInline(ServiceInline, admin.TabularInline):
    pass


class ServiceStackedInline(ServiceInline, admin.StackedInline):
    pass


class ReadOnlyAdmin(ServiceAdmin):
    """A model with no service behind it in the admin: listed and viewed, never written."""
