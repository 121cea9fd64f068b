"""Trainers' materials for any course (webinar or masterclass): a file in private storage or a link.

Who may add, remove and download them is decided in ``academy.materials.services``.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.storage import PrivateStorage


def material_upload_to(instance: Material, filename: str) -> str:
    """Unguessable name: the original name is kept in the row, not on disk."""
    ext = os.path.splitext(filename)[1].lower()
    return f"{instance.session.course_id}/{instance.session_id}/{uuid.uuid4().hex}{ext}"


class Material(models.Model):
    """A trainer's material for one session: an uploaded file (private storage) or a link (e.g. to a
    recording). Visible to the course's confirmed registrants, optionally only after the session."""

    session = models.ForeignKey("courses.Session", on_delete=models.CASCADE, related_name="materials",
                                verbose_name=_("session"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=PrivateStorage("materials"), upload_to=material_upload_to,
                            blank=True, max_length=300)
    original_filename = models.CharField(max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    url = models.URLField(_("link"), blank=True, max_length=500,
                          help_text=_("A link to a recording or an online resource, instead of a file."))
    visible_after_session = models.BooleanField(
        _("visible only after the session"), default=False,
        help_text=_("Registrants see it once the session has ended."),
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        # The table predates this app (materials lived in ``masterclass``): kept so no data moves.
        db_table = "masterclass_material"
        ordering = ["session__starts_at", "created_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="material_file_xor_url",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def extension(self) -> str:
        return os.path.splitext(self.original_filename)[1].lstrip(".").lower()
