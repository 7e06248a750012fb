from django.http import HttpRequest, HttpResponse


class PrivatePagesNotCachedMiddleware:
    """`Cache-Control: no-store` on every page not marked @public, so that no browser or proxy keeps a
    copy of internal data. Public pages set their own caching."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "lianjie_public", False):
            response["Cache-Control"] = "no-store"
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        request.lianjie_public = getattr(view_func, "lianjie_public", False)
