"""The default vocabulary of finding categories (问题类别): loaded by a migration, re-ensured by the demo
and the tests (a transactional test's flush removes migration rows); edited in the admin."""

CATEGORIES = [
    ("sanzi", "三资管理"),
    ("project", "工程项目"),
    ("openness", "村务公开"),
    ("subsidy", "惠农资金"),
    ("conduct", "作风问题"),
    ("party", "基层党建"),
    ("other", "其他"),
]


def ensure_categories(apps) -> None:
    """Idempotent; `apps` is a migration's historical registry or django.apps.apps."""
    FindingCategory = apps.get_model("inspections", "FindingCategory")
    for position, (code, name) in enumerate(CATEGORIES):
        FindingCategory.objects.get_or_create(code=code, defaults={"name": name, "position": position})
