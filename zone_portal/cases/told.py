"""After an action moves a case: the event on its timeline and the message to the people concerned,
written together in the caller's transaction.

    case_told(application, kind="accepted", actor=actor, from_state=previous,
              to_state=application.status, recipients=applicant_side, code=ACCEPTED,
              params={"policy": application.policy}, url=application_url)

The message is a code with its parameters (`zone_portal.notifications.messages`, declared in the
app's `notices.py`), so each reader sees it in their own language; a parameter `text` carries what a
person wrote (a note, a reason) and is shown as written.
"""

from collections.abc import Iterable

from zone_portal.events.log import event_record
from zone_portal.notifications.actions import notify


def case_told(
    case,
    *,
    kind: str,
    recipients: Iterable,
    code: str,
    params: dict | None = None,
    url: str | None = None,
    notification_kind: str = "",
    actor=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    at=None,
):
    """Record the event `kind` on `case` and notify `recipients` with the message `code`; the link
    is the case's page unless `url` names another. Returns the event."""
    event = event_record(
        case=case,
        kind=kind,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
        at=at,
    )
    notify(
        recipients=recipients,
        code=code,
        params=params,
        url=case.get_absolute_url() if url is None else url,
        kind=notification_kind,
    )
    return event
