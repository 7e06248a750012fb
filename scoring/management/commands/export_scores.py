from pathlib import Path

from django.core.management.base import BaseCommand

from scoring.exporter import score_sheet
from scoring.selectors import round_villages

from ._rounds import add_county_argument, round_of_period


class Command(BaseCommand):
    help = (
        "Write a period's scores as xlsx: the village's code and name, then per indicator its points (headed with "
        "its name and maximum) and the reason of a deduction (the import template)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--period", required=True, help="2025, 2025H1 or 2025H2")
        add_county_argument(parser)

    def handle(self, *args, file: Path, period: str, county: str | None, **options) -> None:
        round_ = round_of_period(period, county)
        villages = round_villages(round_)
        file.write_bytes(score_sheet(round_, villages))
        self.stdout.write(f"Wrote {len(villages)} villages of {round_} to {file}")
