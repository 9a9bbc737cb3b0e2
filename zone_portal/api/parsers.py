"""The API's JSON parser: bounded size and nesting, so a hostile body is a 400, never a 500.

Python's decoder recurses once per bracket: a 2 KB body of 1,000 nested brackets exhausts the
stack (RecursionError → 500). The body is read up to `API_JSON_MAX_BYTES` and its nesting
measured (ignoring brackets inside strings) before it is decoded.
"""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit` (strings are skipped)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("The request body is too large (at most %(kb)d KB).") % {"kb": limit // 1024})
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The request body is not valid text.")) from None
        if json_depth_exceeds(text, MAX_DEPTH):
            raise ParseError(
                _("The JSON is nested too deeply (at most %(depth)d levels).") % {"depth": MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The JSON is not valid: %(problem)s") % {"problem": exc}) from None


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")
