"""A posted form handed to one action: the pages' one way of saying "done", "invalid" or "refused".

Every form page does the same: when the form is valid, call its one action; a refusal goes onto the
form with its status (`form_add_domain_error`); success is a message and a redirect. `form_act`
is `zone_portal.web.forms.form_submit` (the first two) plus the message and the redirect;
`form_flash` says all three in flash messages, for the pages that answer that way. `verb_entry`
looks a posted verb up in a case page's table of verbs.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from zone_portal.errors import DomainError
from zone_portal.web.forms import Submitted, form_add_domain_error, form_submit


def verb_entry(verbs: dict, verb: str):
    """What a case page's table of verbs holds for `verb` (its form, its action, ...); a verb the
    page does not know is a 404, like an address that does not exist."""
    try:
        return verbs[verb]
    except KeyError:
        raise Http404 from None


def form_act(
    request, form, action: Callable, *, success, to=None, **arguments
) -> tuple[HttpResponse | None, int]:
    """Call `action(actor=request.user, **arguments, **form.cleaned_data)` if the form is valid
    (`form_submit`), then say so.

    Done: (a redirect to `to`, else to what the action returned, with the `success` message; 302).
    Invalid: (None, 400). Refused: (None, the refusal's status), the refusal shown on the form.
    The caller renders the form again with that status when there is no response.
    """
    submitted = form_submit(request, form, lambda data: action(actor=request.user, **arguments, **data))
    if not submitted.ok:
        return None, submitted.status
    messages.success(request, success)
    return redirect(to if to is not None else submitted.result), 302


def form_flash(request, form, act: Callable, *, success=None, refusal_on_form: bool = False) -> Submitted:
    """A posted form whose outcome is said in a flash message (the pages of services and
    supervision): `act(cleaned_data)` if the form is valid, then the `success` message (without
    one, the caller says it: it may name what the action returned, `result`).

    Invalid: "Please correct the form." (400). Refused: the refusal's message, with its status,
    and, with `refusal_on_form`, its reasons on the form too (`form_add_domain_error`). The caller
    redirects when it went through (`ok`), else shows the page again with the status.
    """
    if not form.is_valid():
        messages.error(request, _("Please correct the form."))
        return Submitted(False, 400)
    try:
        result = act(form.cleaned_data)
    except DomainError as exc:
        if refusal_on_form:
            form_add_domain_error(form, exc)
        messages.error(request, str(exc.message))
        return Submitted(False, exc.status)
    if success is not None:
        messages.success(request, success)
    return Submitted(True, 200, result)
