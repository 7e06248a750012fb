"""Sanctions of village cadres as the veto rules of the index and the star rating read them: the star
rating imports them; the index asks for them with a signal (it cannot import the inspections, which
cite the index)."""

from collections import defaultdict
from datetime import date

from .models import PersonHandled

# Written into stored results, so in Chinese whatever the language of the screen.
SANCTION_NAMES = {
    PersonHandled.Handling.PARTY_SANCTION: "党纪处分",
    PersonHandled.Handling.GOVERNMENT_SANCTION: "政务处分",
}


def cadre_sanction_events(start: date, end: date) -> dict[int, list[tuple[int, str]]]:
    """village id → (person handled's id, "post: sanction") for village cadres given a party or
    government sanction decided between `start` and `end` (no names: the text reaches index results,
    star reviews and the staff's list of veto hits)."""
    persons = PersonHandled.objects.filter(
        village_cadre=True, handling__in=PersonHandled.SANCTIONS, decided_on__range=(start, end)
    )
    sanctions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person in persons.order_by("decided_on", "id"):
        text = f"{person.post}受{SANCTION_NAMES[person.handling]}（{person.decided_on}）"
        sanctions[person.village_id].append((person.pk, text))
    return sanctions


def cadre_sanctions(start: date, end: date) -> dict[int, list[str]]:
    """village id → "post: sanction", as `cadre_sanction_events` without the ids."""
    return {
        village_id: [text for _pk, text in events] for village_id, events in cadre_sanction_events(start, end).items()
    }


def answer_cadre_sanctions_request(sender, *, start: date, end: date, **kwargs) -> dict[int, list[str]]:
    """The receiver of `scoring.signals.cadre_sanctions_requested`."""
    return cadre_sanctions(start, end)
