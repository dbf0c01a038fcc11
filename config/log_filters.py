"""Logging filters the settings attach to Django's loggers."""

import logging

REFUSALS = frozenset({401, 403})


class OneLineRefusals(logging.Filter):
    """A refused request (401, 403), which Django's ``django.request`` logger records for pages and the API
    alike (a page's ``PermissionDenied`` with its whole traceback), as one line: method, path, who, status.

    A refusal is the product working as meant, so its traceback says nothing worth reading.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status in REFUSALS and request is not None:
            user = getattr(request, "user", None)
            who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
            record.msg = "Refused %s %s to %s (%s)"
            record.args = (request.method, request.path, who, status)
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
