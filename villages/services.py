"""Writes of the organisation tree. The admin's edits and its spreadsheet import come through here: each
edit is audited (its history row becomes a chained audit row) and the public pages, which show places'
names, merges and townships, are rebuilt once the change is committed."""

from typing import TYPE_CHECKING, TypeVar

from django.db import transaction

from core.publication import bump_public_generation
from core.services import audited_save

from .models import Township, Village

if TYPE_CHECKING:
    from accounts.models import User

Place = TypeVar("Place", Township, Village)


def places_changed() -> None:
    """The public pages are rebuilt once the change is committed (their cache is keyed on a generation)."""
    transaction.on_commit(bump_public_generation)


@transaction.atomic
def place_save(place: Place, acting_user: "User") -> Place:
    """A township or village created or edited (renamed, moved, merged, made inactive)."""
    audited_save(place, acting_user)
    places_changed()
    return place
