"""The words of the feedback app's notifications, by code (`zone_portal.notifications.messages`).

Every message names what happened, then the problem: "<what> · <number> <title>" (the parameter
`label`); what a person wrote (a description, a reason, an answer) travels as the parameter `text`
and is shown as written. The sweep writes the same codes from SQL (`sweep.py`)."""

from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

NEW = "feedback.new"
NEW_HOTLINE = "feedback.new_hotline"
RECEIVED = "feedback.received"
ESCALATED = "feedback.escalated"
WHISTLED = "feedback.whistled"
REPORTED = "feedback.reported"
ANSWERED = "feedback.answered"
ALL_ANSWERED = "feedback.all_answered"
RETURNED = "feedback.returned"
ROUTED = "feedback.routed"
REASSIGNED = "feedback.reassigned"
EXTENSION_ASKED = "feedback.extension_asked"
EXTENSION_APPROVED = "feedback.extension_approved"
EXTENSION_REFUSED = "feedback.extension_refused"
RESOLVED = "feedback.resolved"
CONFIRMED = "feedback.confirmed"
REOPENED = "feedback.reopened"
COMMENT = "feedback.comment"
ACTION_ASSIGNED = "feedback.action_assigned"
ACTION_DONE = "feedback.action_done"
ESCALATED_REOPENED = "feedback.escalated_reopened"
WHISTLED_REOPENED = "feedback.whistled_reopened"
# a system-written reason on the timeline (an event's `data["reason_code"]`)
REASON_REOPENED_TWICE = "feedback.reason.reopened_twice"
# written by the sweep
ACK_REMINDER = "feedback.ack_reminder"
ACK_OVERDUE = "feedback.ack_overdue"
RESOLVE_REMINDER = "feedback.resolve_reminder"
CLIMBED_TO_WHISTLE = "feedback.climbed_to_whistle"
CLIMBED_TO_MEETING = "feedback.climbed_to_meeting"
OVERDUE = "feedback.overdue"
CLOSED_UNCONFIRMED = "feedback.closed_unconfirmed"
REPORT_REMINDER = "feedback.report_reminder"
REPORT_OVERDUE = "feedback.report_overdue"
REPORT_OVERDUE_HOLDER = "feedback.report_overdue_holder"
PUBLIC_NOTICE = "feedback.public_notice"
PUBLIC_NOTICE_HOLDER = "feedback.public_notice_holder"
ANSWER_REMINDER = "feedback.answer_reminder"
ANSWER_OVERDUE = "feedback.answer_overdue"
ANSWER_OVERDUE_HOLDER = "feedback.answer_overdue_holder"
ACTION_REMINDER = "feedback.action_reminder"
ACTION_OVERDUE = "feedback.action_overdue"

WHAT = {
    NEW: _("New problem"),
    NEW_HOTLINE: _("New hotline problem"),
    RECEIVED: _("Your problem was received"),
    ESCALATED: _("Escalated to you"),
    WHISTLED: _("Whistle: report to this problem"),
    REPORTED: _("A department reported"),
    ANSWERED: _("A department answered"),
    ALL_ANSWERED: _("Every department has answered"),
    RETURNED: _("A department returned the problem: please re-route it"),
    ROUTED: _("A problem was routed to your park"),
    REASSIGNED: _("Returned to the park for re-routing"),
    EXTENSION_ASKED: _("Extension to decide"),
    EXTENSION_APPROVED: _("Extension approved"),
    EXTENSION_REFUSED: _("Extension refused"),
    RESOLVED: _("Resolved: please confirm and rate"),
    CONFIRMED: _("The enterprise confirmed it solved"),
    REOPENED: _("Not solved: reopened"),
    COMMENT: _("New comment"),
    ACTION_ASSIGNED: _("Action item from the joint meeting"),
    ACTION_DONE: _("An action item is done"),
    ACK_REMINDER: _("Reminder: please respond"),
    ACK_OVERDUE: _("Not responded in time"),
    RESOLVE_REMINDER: _("Reminder: the deadline is near"),
    CLIMBED_TO_WHISTLE: _("Overdue: escalated to tier 2"),
    CLIMBED_TO_MEETING: _("Overdue: escalated to the joint meeting"),
    OVERDUE: _("Overdue"),
    CLOSED_UNCONFIRMED: _("Closed without confirmation"),
    REPORT_REMINDER: _("Reminder: report to this problem"),
    REPORT_OVERDUE: _("Reminder: your report is overdue"),
    REPORT_OVERDUE_HOLDER: _("A department has not reported in time"),
    PUBLIC_NOTICE: _("Public notice: your department has not reported"),
    PUBLIC_NOTICE_HOLDER: _("Public notice: a department has not reported"),
    ANSWER_REMINDER: _("Reminder: answer this problem"),
    ANSWER_OVERDUE: _("Reminder: your answer is overdue"),
    ANSWER_OVERDUE_HOLDER: _("A department has not answered in time"),
    ACTION_REMINDER: _("Reminder: a joint-meeting action item is due soon"),
    ACTION_OVERDUE: _("A joint-meeting action item is overdue"),
}


# The notes the system writes on the whistles it makes itself (the sweep at the tier-1 deadline, a
# second reopening). They are stored in the zone's language; `whistle_note` gives a reader theirs.
AUTO_WHISTLE_NOTE = _("Automatic whistle: tier-1 deadline passed")
REOPENED_TWICE_NOTE = _("Reopened a second time")


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


def register() -> None:
    for code, what in WHAT.items():
        message_register(code, title=format_lazy("{} · %(label)s", what))
    reopened = REOPENED_TWICE_NOTE
    message_register(ESCALATED_REOPENED, title=format_lazy("{} · %(label)s", WHAT[ESCALATED]), body=reopened)
    message_register(WHISTLED_REOPENED, title=format_lazy("{} · %(label)s", WHAT[WHISTLED]), body=reopened)
    message_register(REASON_REOPENED_TWICE, title=reopened)
