"""The API's shared plumbing: pagination, and errors that are always JSON."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from config.db import is_lock_conflict
from config.errors import LockConflictError, RuleError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with ``?page=`` and ``?page_size=`` up to 500."""

    page_size_query_param = "page_size"
    page_size_query_description = "How many results a page holds, up to 500."
    max_page_size = 500


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's own 404/403 shaped as ``{"detail"}``, a service's refusal of bad
    input as ``{"field": [...]}``, a rule's refusal as 409, and anything else a JSON 500.

    A deadlock or serialization failure is a 409 "try again" too: the services retry it once and then
    raise ``LockConflictError``; one that reaches this handler unconverted is answered the same way.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif is_lock_conflict(exc):
        exc = LockConflictError()
    if isinstance(exc, RuleError):
        return Response({"detail": exc.message}, status=409)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in the API", exc_info=exc)
        return Response({"detail": "Something went wrong on our side; it has been logged."}, status=500)
    return response
