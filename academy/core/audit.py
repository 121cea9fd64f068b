"""One shape for every audit trail: who did what to an object, when, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Abstract history row; concrete trails add the foreign key to their subject and an ``Action`` enum."""

    # Wagtail's reference index answers "where is this page or snippet used?"; history rows are no use
    # of anything, and indexing each one cost a background job per registration during a rush.
    wagtail_reference_index_ignore = True

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
