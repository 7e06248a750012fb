"""What the star rating tells the apps above it, which it may not import (DESIGN.md section 0).

`stars_settled` is sent inside the transaction of every change of a village's stars: a level decided
(application_decide) and stars stripped (stars_strip). Receivers act in that transaction, so that what
they write (e.g. results revoking a 示范村 title when the village loses its fourth star) stands or falls
with the change. Arguments: application (StarApplication), stars (int, the stars the rated subject has
now), on (date), acting_user (User)."""

from django.dispatch import Signal

stars_settled = Signal()
