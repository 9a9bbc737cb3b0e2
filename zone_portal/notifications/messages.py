"""The words of notifications, by code: a notification is stored as a code with its parameters and
rendered in the reader's language (the inbox: the page's language; the e-mail: the recipient's).

Each app declares its messages once, in its `notices.py`, as module constants:
`ACCEPTED = Message("services.accepted", _("Request %(number)s was accepted"), _("Promised by %(due)s."))`
with `%(name)s` placeholders filled from the parameters. A `Message` *is* its code (a `str`), so
callers write `notify(code=notices.ACCEPTED, …)`; `PortalAppConfig.ready()` registers every
`Message` of the module (`messages_register`). The code is spelled out because it is stored: renaming
the constant must not orphan the rows written under it. A parameter
`text` is what a person wrote (a result, a reason): shown as written, as the body when the message
has no body of its own. A parameter named in `words` holds a stable value (a stage, a category),
named in the reader's language when rendered: `words={"stage": Stage}` (a choices class, or a
mapping of values to lazy labels). Rows written before codes existed, or by a writer that gives only a title,
keep their stored title and body.
"""

import re
from collections.abc import Mapping
from contextlib import nullcontext
from types import ModuleType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation


class Message(str):
    """A notification's code, carrying its words: the title, the body (optional) and the choice
    parameters (`words`) named in the reader's language."""

    title: object  # a lazy translation with %(…)s placeholders
    body: object
    words: tuple  # (parameter, {value: lazy label}): values named when rendered

    def __new__(cls, code: str, title, body="", *, words: Mapping | None = None):
        message = super().__new__(cls, code)
        message.title, message.body = title, body
        message.words = tuple(
            (name, dict(values.choices) if hasattr(values, "choices") else dict(values))
            for name, values in (words or {}).items()
        )
        return message

    def __reduce__(self):
        return str, (str(self),)  # a copy (a pickled row, a task's argument) is the plain code


_MESSAGES: dict[str, Message] = {}


def messages_register(module: ModuleType) -> None:
    """Register every `Message` that `module` (an app's `notices.py`) declares."""
    for message in vars(module).values():
        if isinstance(message, Message):
            known = _MESSAGES.get(message)
            if known is not None and known is not message:
                raise ImproperlyConfigured(f"Two messages have the code {message!r}.")
            _MESSAGES[str(message)] = message


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


def _pattern(template: str) -> re.Pattern:
    """A message's wording as a pattern whose groups are its parameters."""
    parts = re.split(r"%\((\w+)\)([sd])", template)
    out, seen = [], set()
    for i, part in enumerate(parts):
        if i % 3 == 0:
            out.append(re.escape(part))
        elif i % 3 == 1:
            kind = parts[i + 1]
            group = r"\d+" if kind == "d" else ".+?"
            out.append(f"(?P={part})" if part in seen else f"(?P<{part}>{group})")
            seen.add(part)
    return re.compile("".join(out), re.DOTALL)


def message_recognise(title: str, body: str = "") -> tuple[str, dict] | None:
    """The code and parameters of a notification stored as text in the portal's language (written
    before codes existed), when exactly one registered message reads that way; else None. A
    message with a choice parameter (`words`) is not recognised (its text holds the label)."""
    found = []
    with translation.override(settings.LANGUAGE_CODE):
        for code, spec in _MESSAGES.items():
            if spec.words:
                continue
            match = _pattern(str(spec.title)).fullmatch(title)
            if match is None:
                continue
            params = match.groupdict()
            rest = body
            if spec.body:
                own = _pattern(str(spec.body)).match(body)
                if own is None:
                    continue
                params.update(own.groupdict())
                rest = body[own.end() :].lstrip("\n")
            if rest:
                params["text"] = rest
            if message_render(code, params, language=settings.LANGUAGE_CODE) == (title[:200], body):
                found.append((code, params))
    return found[0] if len(found) == 1 else None
