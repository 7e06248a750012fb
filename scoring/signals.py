from django.dispatch import Signal

# Sent while a round's results are computed, with `start` and `end` of its period. Each receiver returns
# {village id: ["post and sanction", …]}: the sanctions of village cadres decided in the period, which a
# veto item "from sanctions" turns into a veto. The inspections answer it; the index does not import
# them (they cite the index).
cadre_sanctions_requested = Signal()


def cadre_sanctions(start, end) -> dict[int, list[str]]:
    sanctions: dict[int, list[str]] = {}
    for _receiver, answer in cadre_sanctions_requested.send(sender=None, start=start, end=end):
        for village_id, texts in answer.items():
            sanctions.setdefault(village_id, []).extend(texts)
    return sanctions
