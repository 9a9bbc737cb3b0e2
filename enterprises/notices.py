"""The words of the enterprises app's notifications, by code (`zone_portal.notifications.messages`):
stored as the code and its parameters, shown in each reader's language."""

from django.utils.translation import gettext_lazy as _

from zone_portal.notifications.messages import message_register

CSO_ASSIGNED = "enterprises.cso_assigned"
CSO_HANDED_OVER = "enterprises.cso_handed_over"
CSO_ASSIGNED_MANY = "enterprises.cso_assigned_many"
CSO_HANDED_OVER_MANY = "enterprises.cso_handed_over_many"
ACCOUNT_REQUEST = "enterprises.account_request"
ACCOUNT_READY = "enterprises.account_ready"
ACCOUNT_READY_TO_LINK = "enterprises.account_ready_to_link"
ACCOUNT_LINK_ASKED = "enterprises.account_link_asked"
ACCOUNT_LINKED = "enterprises.account_linked"
IMPORTED = "enterprises.imported"


def register() -> None:
    message_register(CSO_ASSIGNED, title=_("You are now the chief service officer of %(name)s"))
    message_register(CSO_HANDED_OVER, title=_("%(name)s was handed over to %(officer)s"))
    message_register(CSO_ASSIGNED_MANY, title=_("%(n)d enterprises of %(park)s were assigned to you"))
    message_register(
        CSO_HANDED_OVER_MANY, title=_("Some of your enterprises in %(park)s were handed over to %(officer)s")
    )
    message_register(ACCOUNT_REQUEST, title=_("Account request from %(name)s"))
    ready = _("Your account at the zone portal is ready")
    message_register(
        ACCOUNT_READY, title=ready, body=_("Sign in as %(username)s with the password you chose.")
    )
    message_register(
        ACCOUNT_READY_TO_LINK,
        title=ready,
        body=_(
            "Sign in as %(username)s with the password you chose. %(enterprise)s will be shown to you "
            "once the enterprise's owner or registered contact confirms that you work for it."
        ),
    )
    message_register(
        ACCOUNT_LINK_ASKED,
        title=_("%(person)s asks for an account of %(enterprise)s: please confirm"),
        body=_(
            "Requested by %(person)s (%(phone)s %(email)s) as user %(username)s. Confirm only if this person "
            "works for %(enterprise)s; until then the account sees nothing of it."
        ),
    )
    message_register(ACCOUNT_LINKED, title=_("%(enterprise)s confirmed your account"))
    message_register(IMPORTED, title=_("%(n)d enterprises imported from %(file)s"))
