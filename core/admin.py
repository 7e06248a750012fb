"""Admin parts every app's reference data uses."""

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin

    _AdminBase = BaseModelAdmin[Any]  # the mixin goes before a ModelAdmin or an inline
else:
    _AdminBase = object


class ReadOnlyWhenLockedMixin(_AdminBase):
    """Shown but neither changed nor deleted once `_locked(obj)` says results depend on it."""

    def _locked(self, obj: models.Model) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and self._locked(obj))

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and self._locked(obj))
