import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.access import public

from .todo import todo_for


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """Where a user lands after signing in: today's to-do of the role (the administrators have none: their
    pages instead)."""
    items = todo_for(request.user, timezone.localdate())
    context = {"items": items, "total": sum(item.count for item in items or [])}
    return render(request, "workspace.html", context)


def _database_answers() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return type(error).__name__
    return None


def _redis_answers() -> str | None:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as error:
        return type(error).__name__
    return None


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every configured backing service answers; 503 naming the ones that do not."""
    checks = {"database": _database_answers()}
    if settings.REDIS_URL:
        checks["redis"] = _redis_answers()
    failing = sorted(name for name, error in checks.items() if error)
    body = {"status": "ok" if not failing else "unavailable", "failing": failing}
    body.update({name: "ok" if error is None else f"error: {error}" for name, error in checks.items()})
    return JsonResponse(body, status=503 if failing else 200)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the application's login, with its lockout and second factor; a
    signed-in user the admin turned away is refused rather than sent round in a loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/admin/"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
