"""Notes shown to scorers beside an indicator, written by the apps that know the facts it is scored on.

scoring imports none of the apps above it (the import-linter layers), so they register here instead, in
their AppConfig.ready(): e.g. culture's register of 清廉文化阵地 is counted beside MF2 (清廉文化阵地建设).
A provider takes the villages being scored and the period's year and returns {village id: short text}
in one query; the entry grid asks each indicator of its scheme that has a provider, once per page.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from villages.models import Village

NoteProvider = Callable[[Sequence["Village"], int], dict[int, str]]

_providers: dict[str, NoteProvider] = {}


def register_indicator_note(code: str, provider: NoteProvider) -> None:
    """`provider` writes the note beside the indicator of that code (in any scheme that has it)."""
    _providers[code] = provider


def indicator_notes(codes: Iterable[str], villages: Sequence["Village"], year: int) -> dict[str, dict[int, str]]:
    """indicator code → village id → note, for the indicators among `codes` that have a provider (one
    query per such indicator; none without)."""
    if not villages:
        return {}
    return {code: _providers[code](villages, year) for code in dict.fromkeys(codes) if code in _providers}
