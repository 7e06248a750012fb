"""Building petitions for tests."""

from datetime import date

from django.apps import apps as django_apps

from accounts.roles import Role
from petitions import services
from petitions.models import Petition, PetitionClass
from petitions.standard import ensure_classes

from .factories import UserFactory


def petition_class(code: str = "simple") -> PetitionClass:
    ensure_classes(django_apps)  # a transactional test before this one may have flushed them
    return PetitionClass.objects.get(code=code)


def register(cast, *, identity="", contact="", received_on=date(2025, 3, 3), by="petition", **extra) -> Petition:
    """A case registered by `by` (a petition office of the cast), about village A unless given."""
    fields = {
        "channel": Petition.Channel.LETTER,
        "named": bool(identity),
        "subject_name": "王某",
        "subject_post": "村委会主任",
        "township": cast.township_a,
        "village": cast.village_a,
        "category": Petition.Category.SANZI,
        "summary": "反映集体山林承包款去向不明",
    }
    fields.update(extra)
    return services.petition_register(
        acting_user=cast.users[by], identity=identity, contact=contact, received_on=received_on, **fields
    )


def second_officer():
    """A second petition officer of the cast's county (enrolled, as the role needs), to act on a case at once
    (not the second county's `petition_b`)."""
    return UserFactory(username="petition_2", full_name="钱信访", role=Role.PETITION_OFFICER)


def accepted(cast, petition: Petition, on=date(2025, 3, 5), code="simple") -> Petition:
    return services.petition_accept(
        petition=petition,
        acting_user=cast.users["petition"],
        petition_class=petition_class(code),
        disposal=Petition.Disposal.VERIFY,
        opinion="受理",
        on=on,
    )


def concluded(
    cast, petition: Petition, *, conclusion=Petition.Conclusion.TRUE, on=date(2025, 4, 1), code="simple"
) -> Petition:
    accepted(cast, petition, code=code)
    services.petition_start(petition=petition, acting_user=cast.users["petition"])
    return services.petition_conclude(
        petition=petition, acting_user=cast.users["petition"], conclusion=conclusion, result="已核实", on=on
    )


def intake(cast, **changes) -> dict:
    """The registration form as the petition office fills it in (a letter about village A), with `changes`."""
    return {
        "received_on": "2025-03-03",
        "channel": Petition.Channel.LETTER,
        "subject_name": "赵某",
        "subject_post": "村委会主任",
        "township": cast.township_a.pk,
        "village": cast.village_a.pk,
        "category": Petition.Category.SANZI,
        "summary": "反映低保评定不公",
        **changes,
    }
