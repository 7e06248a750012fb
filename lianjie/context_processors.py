from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.selectors import notices_unread_count
from villages.models import District

from .navigation import navigation_for

DEMO_FLAG_CACHE_KEY = "lianjie:demo-data-loaded"


def demo_data_loaded() -> bool:
    flag = cache.get(DEMO_FLAG_CACHE_KEY)
    if flag is None:
        flag = District.objects.filter(is_demo=True).exists()
        cache.set(DEMO_FLAG_CACHE_KEY, flag, 300)
    return flag


def site(request: HttpRequest) -> dict:
    return {
        "demo_data": demo_data_loaded(),
        # Lazy: a public page that never shows the navigation must not touch the session (Vary: Cookie
        # would stop it being cached for everyone).
        "navigation": SimpleLazyObject(lambda: navigation_for(request.user) if hasattr(request, "user") else []),
        # Only on a page whose header shows it (a signed-in user's); read with the user (accounts.backends).
        "unread_notices": SimpleLazyObject(lambda: notices_unread_count(request.user)),
    }
