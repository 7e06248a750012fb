"""The year's reports as a sheet, headed in the user's language: each report with its flags (late, what
it lacks, evaluation due), never its minutes files or who reported it."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import xlsx_bytes

from .models import MajorDecision
from .services import Flags

ZERO = Decimal(0)


def headings() -> list[str]:
    return [
        _("Township"),
        _("No."),
        _("Category"),
        _("Subject"),
        _("Amount (yuan)"),
        _("Decided on"),
        _("Due on"),
        _("Reported on"),
        _("Late"),
        _("Lacks"),
        _("Evaluation"),
        _("Made public"),
        _("Where it was made public"),
        _("Status"),
    ]


def decision_row(decision: MajorDecision, flags: Flags) -> list[object]:
    # Dates as text: the sheet's cells keep the General format, which would show a date as its serial.
    reported = decision.reported_at
    return [
        decision.township.name,
        decision.number,
        str(decision.get_category_display()),
        decision.subject,
        decision.amount if decision.amount is not None else "",
        f"{decision.decided_on:%Y-%m-%d}",
        f"{decision.due_on:%Y-%m-%d}",
        f"{timezone.localdate(reported):%Y-%m-%d}" if reported else "",
        _("yes") if flags.late else _("no"),
        "、".join(flags.missing),
        decision.evaluation or (_("evaluation due") if flags.evaluation_due else ""),
        _("yes") if decision.made_public else _("no"),
        decision.public_where,
        str(decision.get_status_display()),
    ]


def decisions_sheet(rows: list[tuple[MajorDecision, Flags]], year: int) -> bytes:
    return xlsx_bytes(
        headings(),
        [decision_row(decision, flags) for decision, flags in rows],
        title=_("%(year)s major decisions") % {"year": year},
        frozen_columns=2,
    )
