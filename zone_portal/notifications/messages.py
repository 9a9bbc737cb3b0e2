"""The words of notifications, by code: a notification is stored as a code with its parameters and
rendered in the reader's language (the inbox: the page's language; the e-mail: the recipient's).

Each app registers its messages from its `notices.py` (`register()`, called by
`PortalAppConfig.ready()`): `message_register("services.request_accepted", title=gettext_lazy(…),
body=gettext_lazy(…))`, with `%(name)s` placeholders filled from the parameters. A parameter
`text` is what a person wrote (a result, a reason): shown as written, as the body when the message
has no body of its own. A parameter named in `words` holds one of our own English texts (a
status, a category, "Service center"), stored untranslated (`message_word`) and translated when the
message is rendered. Rows written before codes existed, or by a writer that gives only a title,
keep their stored title and body.
"""

from contextlib import nullcontext
from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Message:
    title: object  # a lazy translation with %(…)s placeholders
    body: object = ""
    words: tuple[str, ...] = ()  # parameters translated when rendered


_MESSAGES: dict[str, Message] = {}


def message_register(code: str, *, title, body="", words: tuple[str, ...] = ()) -> None:
    _MESSAGES[code] = Message(title=title, body=body, words=tuple(words))


def message_word(text) -> str:
    """The English source of one of our translatable texts (a lazy string, a choice's label), to
    store as a parameter named in `words`: it is translated in each reader's language."""
    with translation.override(None):
        return str(text)


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
        for name in spec.words:
            if params.get(name):
                params[name] = translation.gettext(str(params[name]))
        try:
            title = str(spec.title) % params
            body = str(spec.body) % params if spec.body else ""
        except (KeyError, TypeError, ValueError):
            return None
    text = str(params.get("text") or "")
    if text and "%(text)" not in str(spec.body):
        body = f"{body}\n{text}" if body else text
    return title[:200], body
