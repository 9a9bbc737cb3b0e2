"""A select's empty choice in words ("请选择" / "— choose —") instead of Django's "---------".

Django writes "---------" for the empty choice of a ModelChoiceField and of a model field with
choices; people read it as a broken page. `install()` (called once at start-up, `zone_portal.web`)
gives both a translatable label. A field that names its own empty label (a filter's 全部园区) keeps it;
django-filter's empty choice is the setting FILTERS_EMPTY_CHOICE_LABEL ("All").
"""

from django.db.models import fields
from django.forms import models as form_models
from django.utils.translation import gettext_lazy as _

DJANGO_DASHES = "---------"


def install() -> None:
    label = _("— choose —")
    if fields.BLANK_CHOICE_DASH[0][1] == DJANGO_DASHES:
        # Model fields take this very list as their default blank choice: change it in place.
        fields.BLANK_CHOICE_DASH[:] = [("", label)]
    original = form_models.ModelChoiceField.__init__
    if getattr(original, "portal_empty_label", False):
        return

    def __init__(self, queryset, *, empty_label=DJANGO_DASHES, **kwargs):
        original(self, queryset, empty_label=label if empty_label == DJANGO_DASHES else empty_label, **kwargs)

    __init__.portal_empty_label = True
    form_models.ModelChoiceField.__init__ = __init__
