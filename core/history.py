"""Reading and starting the histories (django-simple-history) of tracked models.

status_changes() gives the steps of a workflow (who, when, why) from a record's history.
start_history(): the first history row of records that existed before their model was history-tracked.
Without it, the first change to such a record (a migration-loaded petition class, a scheme) would reach
the audit log with its new values only. Used by the migrations that start tracking a model."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps

HISTORY_STARTED = "history started"

# A row of a model's history: a model django-simple-history makes at run time, untyped.
HistoricalRecord = Any


class Tracked(Protocol):
    """A model instance with django-simple-history's `history` manager."""

    history: Any


@dataclass(frozen=True)
class StatusStep:  # 流转记录：谁、何时、为何
    status: str
    previous: str | None
    label: str
    by: str
    at: datetime
    reason: str

    def moved(self, source: str, target: str) -> bool:
        return self.previous == source and self.status == target


def status_changes(instance: Tracked, field: str = "status") -> Iterator[tuple[Any, HistoricalRecord]]:
    """Each history row of `instance` that moved `field` (its first row too), oldest first, with the value
    before: a workflow's steps, each with who (history_user), when and why (history_change_reason)."""
    previous = None
    for record in instance.history.select_related("history_user").order_by("history_date", "history_id"):
        if getattr(record, field) != previous:
            yield previous, record
        previous = getattr(record, field)


def _why(record: HistoricalRecord, reason: Callable[[HistoricalRecord], str] | None) -> str:
    if record.history_change_reason == HISTORY_STARTED:
        return ""  # the row a migration wrote for a record that existed before its history: no step's why
    return reason(record) if reason else record.history_change_reason or ""


def status_steps(
    instance: Tracked, statuses: type[models.TextChoices], reason: Callable[[HistoricalRecord], str] | None = None
) -> list[StatusStep]:
    """The steps of `instance`'s workflow (`statuses`: its TextChoices), oldest first; `reason(record)`
    picks the why of a step when it is not the change reason."""
    return [
        StatusStep(
            status=record.status,
            previous=previous,
            label=statuses(record.status).label,
            by=str(record.history_user) if record.history_user else "—",
            at=record.history_date,
            reason=_why(record, reason),
        )
        for previous, record in status_changes(instance)
    ]


def start_history(*labels: str) -> "Callable[[StateApps, BaseDatabaseSchemaEditor], None]":
    """A RunPython operation writing one "+" history row for every existing row of each model."""

    def forwards(apps: "StateApps", schema_editor: "BaseDatabaseSchemaEditor") -> None:
        now = timezone.now()
        for label in labels:
            app_label, name = label.split(".")
            model = apps.get_model(app_label, name)
            historical = apps.get_model(app_label, f"Historical{name}")
            columns = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
            rows = (
                historical(
                    **{column: getattr(record, column) for column in columns},
                    history_date=now,
                    history_type="+",
                    history_change_reason=HISTORY_STARTED,
                )
                for record in model.objects.iterator()
            )
            historical.objects.bulk_create(rows, batch_size=1000)

    return forwards
