"""The API's JSON parser.

A module of its own: DRF reads ``DEFAULT_PARSER_CLASSES`` while ``rest_framework.views`` is being
imported, so the parser cannot live in a module that imports the views (``config.api`` does).
"""

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing as bad input a body nested deeper than Python can follow."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
