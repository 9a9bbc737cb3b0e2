"""The words of notifications, by code: a notification is stored as a code with its parameters and
rendered in the reader's language (the inbox: the page's language; the e-mail: the recipient's).

Each app registers its messages from its `notices.py` (`register()`, called by
`PortalAppConfig.ready()`): `message_register("services.request_accepted", title=gettext_lazy(…),
body=gettext_lazy(…))`, with `%(name)s` placeholders filled from the parameters. A parameter
`text` is what a person wrote (a result, a reason): shown as written, as the body when the message
has no body of its own. A parameter named in `words` holds a stable value (a stage, a category),
named in the reader's language when rendered: `words={"stage": Stage}` (a choices class, or a
mapping of values to lazy labels). Rows written before codes existed, or by a writer that gives only a title,
keep their stored title and body.
"""

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Message:
    title: object  # a lazy translation with %(…)s placeholders
    body: object = ""
    words: tuple = ()  # (parameter, {value: lazy label}): values named when rendered


_MESSAGES: dict[str, Message] = {}


def message_register(code: str, *, title, body="", words: Mapping | None = None) -> None:
    labels = tuple(
        (name, dict(values.choices) if hasattr(values, "choices") else dict(values))
        for name, values in (words or {}).items()
    )
    _MESSAGES[code] = Message(title=title, body=body, words=labels)


def message_known(code: str) -> bool:
    return code in _MESSAGES


def message_render(code: str, params: dict | None, *, language: str | None = None) -> tuple[str, str] | None:
    """(title, body) of a coded message in `language` (default: the active one), or None when the
    code is unknown or its parameters do not fit (the stored text is shown instead)."""
    spec = _MESSAGES.get(code or "")
    if spec is None:
        return None
    params = dict(params or {})
    with translation.override(language) if language else nullcontext():
        for name, labels in spec.words:
            if name in params:
                params[name] = str(labels.get(params[name], params[name]))
        try:
            title = str(spec.title) % params
            body = str(spec.body) % params if spec.body else ""
        except (KeyError, TypeError, ValueError):
            return None
    text = str(params.get("text") or "")
    if text and "%(text)" not in str(spec.body):
        body = f"{body}\n{text}" if body else text
    return title[:200], body
