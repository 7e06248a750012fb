"""Django's model backend, reading the signed-in user together with the count of their unread notices
and the unit they are bound to: the header shows that count on every page, every scoped list reads the
unit, and fewer queries per page keep each list within its query budget."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notice, User


class UserWithNoticesBackend(ModelBackend):
    def get_user(self, user_id):
        unread = (
            Notice.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
            .values("user")
            .annotate(count=Count("pk"))
            .values("count")
        )
        user = (
            User._default_manager.select_related("township", "district", "city")
            .annotate(unread_notice_count=Coalesce(Subquery(unread), 0))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
