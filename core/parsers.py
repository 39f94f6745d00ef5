"""API parsers that refuse NUL characters in text: PostgreSQL text cannot hold them.

A separate module from core.api because DRF reads DEFAULT_PARSER_CLASSES while its views
module loads, which core.api itself imports.
"""

from rest_framework import exceptions, parsers


def _reject_nul(data):
    """PostgreSQL text cannot hold NUL; refuse it at the door instead of as a database error."""
    if isinstance(data, str) and "\x00" in data:
        raise exceptions.ParseError("Text may not contain NUL characters.")
    if isinstance(data, dict):
        for key, value in data.items():
            _reject_nul(key)
            _reject_nul(value)
    elif isinstance(data, list | tuple):
        for item in data:
            _reject_nul(item)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _reject_nul(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _reject_nul(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Text fields are checked; uploaded files are bytes and may hold anything."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _reject_nul(dict(parsed.data.lists()))
        return parsed
