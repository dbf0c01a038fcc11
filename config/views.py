"""Error pages: JSON under /api/, HTML elsewhere, never a stack trace; and /favicon.ico."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static


def _answer(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, "You do not have permission to do that.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, 500, "Something went wrong on our side; it has been logged.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _answer(request, 403, "The form expired or came from elsewhere. Go back, reload the page and try again.")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for ``/favicon.ico`` before reading the page's icon link go to the static file."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
