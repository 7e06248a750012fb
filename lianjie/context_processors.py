from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.selectors import notices_unread_count
from villages.selectors import demo_data_loaded

from .navigation import navigation_for


def site(request: HttpRequest) -> dict:
    return {
        "demo_data": demo_data_loaded(),
        # Lazy: a public page that never shows the navigation must not touch the session (Vary: Cookie
        # would stop it being cached for everyone).
        "navigation": SimpleLazyObject(lambda: navigation_for(request.user) if hasattr(request, "user") else []),
        # Only on a page whose header shows it (a signed-in user's); read with the user (accounts.backends).
        "unread_notices": SimpleLazyObject(lambda: notices_unread_count(request.user)),
    }
