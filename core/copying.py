"""Copies of rows that follow the schema (a correction, the next scheme version, next year's criteria…).

A copy takes every concrete field of the original except those its copy function excludes by name, so
a column added later is copied, or left out on purpose, but never lost because a hand-written list of
fields forgot it.
"""

from collections.abc import Collection
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def copied_values(instance: models.Model, *, exclude: Collection[str]) -> dict[str, Any]:
    """The instance's concrete field values by attname, without the primary key and the fields named in
    `exclude`; an exclusion naming no field is an error, so a renamed field cannot silently be copied."""
    fields = [field for field in instance._meta.concrete_fields if not field.primary_key]
    unknown = set(exclude) - {field.name for field in fields}
    if unknown:
        raise ValueError(f"{type(instance).__name__} has no field {', '.join(sorted(unknown))} to exclude")
    return {field.attname: getattr(instance, field.attname) for field in fields if field.name not in exclude}


def copy_of(instance: M, *, exclude: Collection[str], **changes: Any) -> M:
    """An unsaved copy of `instance` with `changes` (by field name) set. Only an excluded field may be
    changed: the model would otherwise take the copied `<name>_id` over the change without a word."""
    stray = set(changes) - set(exclude)
    if stray:
        raise ValueError(f"{type(instance).__name__}: {', '.join(sorted(stray))} is not excluded from the copy")
    return type(instance)(**copied_values(instance, exclude=exclude), **changes)
