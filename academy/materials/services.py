"""Trainers' materials: what may be uploaded, who may add and remove them, and who may see them.

Every rule is here, once, and used by the site views, the course page, the member area and the demo
loader alike. "Trainer of the course" is ``academy.courses.permissions``.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.core.permissions import is_staff
from academy.core.users import acting_user
from academy.courses.models import CoursePage, Session
from academy.courses.permissions import is_trainer_of, may_run_course
from academy.network.services import person_of

from .models import Material


class MaterialError(ValidationError):
    """An upload was refused (type, size, missing file or link, permission)."""


ALLOWED_EXTENSIONS = ("pdf", "pptx", "docx", "xlsx", "odp", "odt", "ods", "zip")
_ZIP_BASED = {"pptx", "docx", "xlsx", "odp", "odt", "ods", "zip"}
_VIDEO = {"mp4", "mov", "avi", "mkv", "webm"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "MATERIALS_MAX_UPLOAD_MB", 25)) * 1024 * 1024


def _check_file(upload: UploadedFile) -> str:
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lstrip(".").lower()
    if ext in _VIDEO:
        raise MaterialError(_("Videos cannot be uploaded: share a link to the recording instead."),
                            code="video")
    if ext not in ALLOWED_EXTENSIONS:
        raise MaterialError(
            _("Files of type “%(ext)s” are not accepted. Allowed: %(allowed)s."),
            code="type", params={"ext": ext or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)})
    limit = max_upload_bytes()
    if upload.size > limit:
        raise MaterialError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."), code="size",
            params={"size": f"{upload.size / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)})
    if upload.size == 0:
        raise MaterialError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if (ext == "pdf" and not head.startswith(b"%PDF")) or (ext in _ZIP_BASED and not head.startswith(b"PK\x03\x04")):
        raise MaterialError(_("The file's content does not match its “.%(ext)s” extension."),
                            code="content", params={"ext": ext})
    return name


def _check_url(url: str) -> str:
    """A full web address typed as such: ``https://`` or ``http://`` first (no ``//host``, no
    ``javascript:``, no bare host names completed by guesswork)."""
    url = url.strip()
    try:
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError("scheme")
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as exc:
        raise MaterialError(_("The link must be a full web address starting with https:// (for example "
                              "https://example.org/recording)."), code="url") from exc
    return url


def can_manage_materials(user, session: Session) -> bool:
    return may_run_course(user, session.course)


def add_material(session: Session, *, title: str, by, upload: UploadedFile | None = None, url: str = "",
                 visible_after_session: bool = False) -> Material:
    """Add a material (a file or a link) to a session. Nothing is half-saved: a refused upload leaves
    no row and no file; a failure after the file is written removes the file."""
    if not can_manage_materials(by, session):
        raise MaterialError(_("Only the course's trainers and staff can add materials."), code="permission")
    title = (title or "").strip()
    if not title:
        raise MaterialError(_("Give the material a title."), code="title")
    if bool(upload) == bool((url or "").strip()):
        raise MaterialError(_("Upload a file or give a link (one of the two)."), code="file_or_url")
    material = Material(session=session, title=title[:200], visible_after_session=visible_after_session,
                        uploaded_by=acting_user(by))
    if upload:
        material.original_filename = _check_file(upload)[:255]
        material.size = upload.size
    else:
        material.url = _check_url(url)
    stored_name = ""
    try:
        with transaction.atomic():
            if upload:
                material.file.save(material.original_filename, upload, save=False)
                stored_name = material.file.name
            material.full_clean(exclude=["file", "url"])
            material.save()
    except Exception:
        if stored_name:
            material.file.storage.delete(stored_name)
        raise
    return material


def delete_material(material: Material, by) -> None:
    if not can_manage_materials(by, material.session):
        raise MaterialError(_("Only the course's trainers and staff can remove materials."), code="permission")
    name, storage = material.file.name, material.file.storage
    with transaction.atomic():
        material.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def is_confirmed_registrant(user, course: CoursePage) -> bool:
    from academy.registrations.models import Registration

    person = person_of(user)
    return bool(person) and Registration.objects.confirmed().filter(
        course=course.canonical, person=person).exists()


def _hidden_for_now(material: Material, now) -> bool:
    return material.visible_after_session and material.session.ends_at > now


def can_access_material(user, material: Material, *, now=None) -> bool:
    """Staff and the course's trainers always; a confirmed registrant of the course, once the session
    has ended if the trainer chose so; nobody else."""
    course = material.session.course
    if may_run_course(user, course):
        return True
    if not is_confirmed_registrant(user, course):
        return False
    return not _hidden_for_now(material, now or timezone.now())


def visible_materials(user, course: CoursePage, *, now=None) -> list[Material]:
    """The course's materials the user may see, in session order (empty for everyone else)."""
    course = course.canonical
    if not getattr(user, "is_authenticated", False):
        return []
    materials = list(Material.objects.filter(session__course=course, session__cancelled=False)
                     .select_related("session", "session__course"))
    if not materials:
        return []
    if is_staff(user) or is_trainer_of(user, course):
        return materials
    if not is_confirmed_registrant(user, course):
        return []
    now = now or timezone.now()
    return [m for m in materials if not _hidden_for_now(m, now)]
