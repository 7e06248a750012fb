"""Helpers of data migrations that several apps run."""

from typing import Any


def notice_links_moved(old_prefix: str, new_prefix: str) -> Any:
    """A RunPython function: inbox notices whose link starts with `old_prefix` open `new_prefix` + the
    rest (the pages moved; a notice already sent must still open its page)."""

    def move(apps: Any, schema_editor: Any) -> None:
        from django.db.models import Value
        from django.db.models.functions import Concat, Substr

        Notice = apps.get_model("accounts", "Notice")
        Notice.objects.filter(link__startswith=old_prefix).update(
            link=Concat(Value(new_prefix), Substr("link", len(old_prefix) + 1))
        )

    return move
