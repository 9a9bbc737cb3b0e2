"""The checks every action makes the same way: the actor's right, a text field's presence and length.

Each refusal is the one error shape: 403 for the right, 400 naming the field for the text.
"""

from django.utils.translation import gettext as _

from zone_portal.errors import InvalidInput, PermissionDeniedError


def require(allowed: bool, message=None) -> None:
    """Refuse with 403 (the default message, or `message`) unless `allowed`."""
    if not allowed:
        raise PermissionDeniedError(message)


def text_input(
    value, field: str, *, required: bool = True, limit: int | None = None, missing=None, message=None
) -> str:
    """`value` stripped; 400 on `field` when it is required and empty (saying `missing`, or that the
    field is required; `message` above the fields when given), or longer than `limit`."""
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(message, fields={field: [missing or _("This field is required.")]})
    if limit is not None and len(text) > limit:
        raise InvalidInput(fields={field: [_("At most %(n)d characters.") % {"n": limit}]})
    return text
