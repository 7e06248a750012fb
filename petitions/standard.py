"""Default reference data of petitions: the "五字" classes with their target handling times, loaded by a
migration and re-ensured by the demo and the tests; edited by the system administrator."""

CLASSES = [
    ("simple", "简案办快", 30),
    ("solid", "铁案办实", 60),
    ("mixed", "杂案办好", 60),
    ("doubtful", "疑案办明", 60),
    ("hard", "难案办妥", 90),
]


def ensure_classes(apps) -> None:
    """Idempotent; `apps` is a migration's historical registry or django.apps.apps."""
    PetitionClass = apps.get_model("petitions", "PetitionClass")
    for position, (code, name, days) in enumerate(CLASSES):
        PetitionClass.objects.get_or_create(
            code=code, defaults={"name": name, "target_days": days, "position": position}
        )
