"""Private files: kept under ``settings.PRIVATE_ROOT`` (never MEDIA_ROOT), served only by views that check
who asks."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A folder of ``PRIVATE_ROOT``; the root is read at each access so tests can override the setting."""

    def __init__(self, subdir: str = "", **kwargs):
        self.subdir = subdir
        super().__init__(**kwargs)

    @property
    def base_location(self):
        root = Path(settings.PRIVATE_ROOT)
        return str(root / self.subdir) if self.subdir else str(root)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("Private files have no public URL; use the view that checks who asks.")


def private_storage(subdir: str = "") -> PrivateStorage:
    return PrivateStorage(subdir)
