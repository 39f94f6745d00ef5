"""API parsers that refuse what the database or the interpreter cannot take: NUL characters in
text (PostgreSQL text cannot hold them) and JSON nested deeper than any request needs (Python's
decoder would hit its recursion limit: a 500 instead of a 400).

A separate module from core.api because DRF reads DEFAULT_PARSER_CLASSES while its views
module loads, which core.api itself imports.
"""

from rest_framework import exceptions, parsers

MAX_DEPTH = 32


def _check(data):
    """Refuse NUL in any string and nesting deeper than MAX_DEPTH; iterative, so it cannot
    itself run out of stack."""
    pending = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise exceptions.ParseError("Text may not contain NUL characters.")
            continue
        if depth > MAX_DEPTH:
            raise exceptions.ParseError(f"JSON may not be nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple):
            pending.extend((item, depth + 1) for item in value)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                f"JSON may not be nested deeper than {MAX_DEPTH} levels."
            ) from None
        return _check(data)


class MultiPartParser(parsers.MultiPartParser):
    """Text fields are checked; uploaded files are bytes and may hold anything."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _check(dict(parsed.data.lists()))
        return parsed
