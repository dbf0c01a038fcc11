"""Form parts every app's pages share: a date input, and a service's errors put where they belong."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# Where one of a service's errors goes: (the field it names, its message) -> (field or None, message).
ErrorPlace = Callable[[str, str], tuple[str | None, str]]


class DateInput(forms.DateInput):
    """The browser's date picker, with the value written as it expects (``2027-01-04``)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError, *, place: ErrorPlace | None = None) -> None:
    """Put a service's ``ValidationError`` on ``form``: each message beside the field it names, or where
    ``place`` says; a message about a field the form lacks goes on top of the form."""
    for name, messages in error.message_dict.items():
        for message in messages:
            field, text = place(name, message) if place else (name, message)
            form.add_error(field if field is not None and field in form.fields else None, text)
