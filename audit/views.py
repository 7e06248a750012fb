from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role

from .filters import AuditEventFilter
from .selectors import audit_events, verify_chain


@role_required(Role.AUDIT_ADMIN)
def event_list(request: HttpRequest) -> HttpResponse:
    event_filter = AuditEventFilter(request.GET or None, queryset=audit_events())
    page = Paginator(event_filter.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"filter": event_filter, "page": page})


@role_required(Role.AUDIT_ADMIN)
def chain_check(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/chain_check.html", {"report": verify_chain()})
