"""The words of the enterprises app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import Message

CSO_ASSIGNED = Message("enterprises.cso_assigned", _("You are now the chief service officer of %(name)s"))
CSO_HANDED_OVER = Message("enterprises.cso_handed_over", _("%(name)s was handed over to %(officer)s"))
CSO_ASSIGNED_MANY = Message(
    "enterprises.cso_assigned_many", _("%(n)d enterprises of %(park)s were assigned to you")
)
CSO_HANDED_OVER_MANY = Message(
    "enterprises.cso_handed_over_many",
    _("Some of your enterprises in %(park)s were handed over to %(officer)s"),
)
ACCOUNT_REQUEST = Message("enterprises.account_request", _("Account request from %(name)s"))
_READY = _("Your account at the zone portal is ready")
ACCOUNT_READY = Message(
    "enterprises.account_ready", _READY, _("Sign in as %(username)s with the password you chose.")
)
ACCOUNT_READY_TO_LINK = Message(
    "enterprises.account_ready_to_link",
    _READY,
    _(
        "Sign in as %(username)s with the password you chose. %(enterprise)s will be shown to you "
        "once the enterprise's owner or registered contact confirms that you work for it."
    ),
)
ACCOUNT_LINK_ASKED = Message(
    "enterprises.account_link_asked",
    _("%(person)s asks for an account of %(enterprise)s: please confirm"),
    _(
        "Requested by %(person)s (%(phone)s %(email)s) as user %(username)s. Confirm only if this person "
        "works for %(enterprise)s; until then the account sees nothing of it."
    ),
)
ACCOUNT_LINKED = Message("enterprises.account_linked", _("%(enterprise)s confirmed your account"))
IMPORTED = Message("enterprises.imported", _("%(n)d enterprises imported from %(file)s"))
