"""A faster representation for serializers of long lists, with DRF's exact output.

DRF walks every field of every object through generic machinery (``_readable_fields``,
``Field.get_attribute`` with its callable checks, ``PKOnlyObject`` checks…): for a page of
twenty objects that is most of an endpoint's time. :class:`FastRepresentationMixin` makes
a plan once per serializer instance — a list's single child serves the whole page — in
which a field whose source is one concrete model field reads it straight off the
instance, and every other field (methods, nested serializers, dotted or callable sources)
goes through DRF as before. ``tests/test_fast_representation.py`` proves the output equals
DRF's for every serializer that uses it.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

Step = tuple[str, Callable[[Any], Any], Callable[[Any], Any], bool]


class FastRepresentationMixin:
    """Mix into a ``ModelSerializer`` (before it in the bases) used for lists."""

    def _fast_step(self, field: serializers.Field) -> Step:
        model = self.Meta.model  # type: ignore[attr-defined]
        source = field.source_attrs
        direct = False
        if len(source) == 1 and not isinstance(field, (serializers.SerializerMethodField, serializers.BaseSerializer)):
            try:
                model_field = model._meta.get_field(source[0])
            except FieldDoesNotExist:
                model_field = None
            direct = model_field is not None and model_field.concrete and not model_field.is_relation
        key = field.field_name
        if key is None:  # the readable fields are bound, so they are named
            raise TypeError(f"{field!r} is not bound to a serializer")
        if direct:
            name = source[0]
            return key, lambda instance: getattr(instance, name), field.to_representation, False
        return key, field.get_attribute, field.to_representation, True

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan: list[Step] | None = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = [self._fast_step(field) for field in self._readable_fields]  # type: ignore[attr-defined]
            self._fast_plan = plan
        result: dict[str, Any] = {}
        for name, read, represent, generic in plan:
            if generic:
                try:
                    value = read(instance)
                except SkipField:
                    continue
                empty = value.pk if isinstance(value, PKOnlyObject) else value
            else:
                value = empty = read(instance)
            result[name] = None if empty is None else represent(value)
        return result
