"""The API's shared plumbing: pagination, and errors that are always JSON."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from config.db import is_lock_conflict
from config.errors import LockConflictError, RuleError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` with ``?page=`` and ``?page_size=`` up to 500."""

    page_size_query_param = "page_size"
    page_size_query_description = "How many results a page holds, from 1; more than 500 gives pages of 500."
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        """The page size asked for, capped at 500; 400 for a value that is not a whole number from 1."""
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Give a whole number from 1; pages hold at most 500."]}
            )
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


def too_large(exc: RequestDataTooBig) -> Response:
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: the client's fault, nothing to log."""
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return Response({"detail": f"The request body is larger than {megabytes:g} MB."}, status=413)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's own 404/403 shaped as ``{"detail"}``, a service's refusal of bad
    input as ``{"field": [...]}``, a rule's refusal as 409, and anything else a JSON 500.

    A deadlock or serialization failure is a 409 "try again" too: the services retry it once and then
    raise ``LockConflictError``; one that reaches this handler unconverted is answered the same way.
    """
    if isinstance(exc, RequestDataTooBig):
        return too_large(exc)
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
