from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scoring.importer import ImportRefused, apply_import, build_preview

from ._rounds import add_county_argument, round_of_period


class Command(BaseCommand):
    help = (
        "Import scores from xlsx into a period's draft round: all rows or none, with row-numbered errors. "
        "The same importer as the browser's import page."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--period", required=True, help="2025, 2025H1 or 2025H2")
        add_county_argument(parser)
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, file: Path, period: str, county: str | None, dry_run: bool, **options) -> None:
        round_ = round_of_period(period, county)
        if not file.exists():
            raise CommandError(f"No file {file}")
        data = file.read_bytes()
        try:
            if dry_run:
                preview = build_preview(round_, data, file.name)
            else:
                preview = apply_import(round_, data, file.name, acting_user=None, operator="manage.py import_scores")
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        for error in preview.errors:
            self.stderr.write(str(error))
        if not preview.ok:
            raise CommandError(f"{len(preview.errors)} errors; nothing was imported.")
        for change in preview.changes[:50]:
            self.stdout.write(
                f"row {change.row}: {change.village.code} {change.indicator.code} {change.before} -> {change.after}"
                + (f" ({change.reason})" if change.reason else "")
            )
        verb = "Would change" if dry_run else "Changed"
        self.stdout.write(f"{verb} {len(preview.changes)} scores in {preview.rows} rows of {round_}.")
