"""The words of the feedback app's notifications, by code (`zone_portal.notifications.messages`).

Every message names what happened, then the problem: "<what> · <number> <title>" (the parameter
`label`); what a person wrote (a description, a reason, an answer) travels as the parameter `text`
and is shown as written. The sweep writes the same codes from SQL (`sweep.py`)."""

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message


def _problem(code: str, what, body="") -> Message:
    """A message about a problem: "<what> · <number> <title>", the problem as the parameter `label`."""
    return Message(code, format_lazy("{} · %(label)s", what), body)


# The notes the system writes on the whistles it makes itself (the sweep at the tier-1 deadline, a
# second reopening). They are stored in the zone's language; `whistle_note` gives a reader theirs.
AUTO_WHISTLE_NOTE = _("Automatic whistle: tier-1 deadline passed")
REOPENED_TWICE_NOTE = _("Reopened a second time")


NEW = _problem("feedback.new", _("New problem"))
NEW_HOTLINE = _problem("feedback.new_hotline", _("New hotline problem"))
RECEIVED = _problem("feedback.received", _("Your problem was received"))
_ESCALATED = _("Escalated to you")
ESCALATED = _problem("feedback.escalated", _ESCALATED)
_WHISTLED = _("Whistle: report to this problem")
WHISTLED = _problem("feedback.whistled", _WHISTLED)
REPORTED = _problem("feedback.reported", _("A department reported"))
ANSWERED = _problem("feedback.answered", _("A department answered"))
ALL_ANSWERED = _problem("feedback.all_answered", _("Every department has answered"))
RETURNED = _problem("feedback.returned", _("A department returned the problem: please re-route it"))
ROUTED = _problem("feedback.routed", _("A problem was routed to your park"))
REASSIGNED = _problem("feedback.reassigned", _("Returned to the park for re-routing"))
EXTENSION_ASKED = _problem("feedback.extension_asked", _("Extension to decide"))
EXTENSION_APPROVED = _problem("feedback.extension_approved", _("Extension approved"))
EXTENSION_REFUSED = _problem("feedback.extension_refused", _("Extension refused"))
RESOLVED = _problem("feedback.resolved", _("Resolved: please confirm and rate"))
CONFIRMED = _problem("feedback.confirmed", _("The enterprise confirmed it solved"))
REOPENED = _problem("feedback.reopened", _("Not solved: reopened"))
COMMENT = _problem("feedback.comment", _("New comment"))
ACTION_ASSIGNED = _problem("feedback.action_assigned", _("Action item from the joint meeting"))
ACTION_DONE = _problem("feedback.action_done", _("An action item is done"))
ESCALATED_REOPENED = _problem("feedback.escalated_reopened", _ESCALATED, REOPENED_TWICE_NOTE)
WHISTLED_REOPENED = _problem("feedback.whistled_reopened", _WHISTLED, REOPENED_TWICE_NOTE)
# a system-written reason on the timeline (an event's `data["reason_code"]`)
REASON_REOPENED_TWICE = Message("feedback.reason.reopened_twice", REOPENED_TWICE_NOTE)
# written by the sweep
ACK_REMINDER = _problem("feedback.ack_reminder", _("Reminder: please respond"))
ACK_OVERDUE = _problem("feedback.ack_overdue", _("Not responded in time"))
RESOLVE_REMINDER = _problem("feedback.resolve_reminder", _("Reminder: the deadline is near"))
CLIMBED_TO_WHISTLE = _problem("feedback.climbed_to_whistle", _("Overdue: escalated to tier 2"))
CLIMBED_TO_MEETING = _problem("feedback.climbed_to_meeting", _("Overdue: escalated to the joint meeting"))
OVERDUE = _problem("feedback.overdue", _("Overdue"))
CLOSED_UNCONFIRMED = _problem("feedback.closed_unconfirmed", _("Closed without confirmation"))
REPORT_REMINDER = _problem("feedback.report_reminder", _("Reminder: report to this problem"))
REPORT_OVERDUE = _problem("feedback.report_overdue", _("Reminder: your report is overdue"))
REPORT_OVERDUE_HOLDER = _problem("feedback.report_overdue_holder", _("A department has not reported in time"))
PUBLIC_NOTICE = _problem("feedback.public_notice", _("Public notice: your department has not reported"))
PUBLIC_NOTICE_HOLDER = _problem(
    "feedback.public_notice_holder", _("Public notice: a department has not reported")
)
ANSWER_REMINDER = _problem("feedback.answer_reminder", _("Reminder: answer this problem"))
ANSWER_OVERDUE = _problem("feedback.answer_overdue", _("Reminder: your answer is overdue"))
ANSWER_OVERDUE_HOLDER = _problem("feedback.answer_overdue_holder", _("A department has not answered in time"))
ACTION_REMINDER = _problem("feedback.action_reminder", _("Reminder: a joint-meeting action item is due soon"))
ACTION_OVERDUE = _problem("feedback.action_overdue", _("A joint-meeting action item is overdue"))


def whistle_note(whistle) -> str:
    """A whistle's note as its reader reads it: a person's as written, the system's in the reader's
    language (a whistle made by the system has no `whistled_by`)."""
    if whistle.whistled_by_id is None:
        for note in (AUTO_WHISTLE_NOTE, REOPENED_TWICE_NOTE):
            if any(_in_language(note, code) == whistle.note for code, _name in settings.LANGUAGES):
                return str(note)
    return whistle.note


def _in_language(text, language: str) -> str:
    with translation.override(language):
        return str(text)
