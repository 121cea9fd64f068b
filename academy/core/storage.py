"""Private files (trainers' materials, certificates, HR attachments, registers): never under MEDIA_ROOT,
never at a public URL, served only by views that check who asks (``private_response``).

Where they live is read from the settings at each access:

* embedded default: a folder, ``settings.PRIVATE_ROOT`` (one subfolder per ``subdir``);
* with ``AWS_STORAGE_BUCKET_NAME`` set: an S3-compatible bucket through django-storages, under the key
  prefix ``PRIVATE_S3_PREFIX/<subdir>``, objects stored private (no ACL grants, no public URL).

``private_response`` answers a permitted download: the bytes through the app (default); with
``PRIVATE_ACCEL_REDIRECT`` set (a local folder behind nginx), an ``X-Accel-Redirect`` to nginx's
``internal`` location, so the app server's thread is freed at once; with a bucket and
``PRIVATE_SIGNED_URL_SECONDS`` > 0, a redirect to a signed URL valid that many seconds.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.deconstruct import deconstructible


def uses_bucket() -> bool:
    return bool(getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""))


_S3_CACHE: dict[tuple, Storage] = {}


def _s3(prefix: str) -> Storage:
    from storages.backends.s3 import S3Storage

    key = (prefix, settings.AWS_STORAGE_BUCKET_NAME, getattr(settings, "AWS_S3_ENDPOINT_URL", None),
           getattr(settings, "AWS_ACCESS_KEY_ID", None))
    if key not in _S3_CACHE:
        _S3_CACHE[key] = S3Storage(location=prefix, default_acl=None, querystring_auth=True,
                                   file_overwrite=False, client_config=_client_config(),
                                   querystring_expire=getattr(settings, "PRIVATE_SIGNED_URL_SECONDS", 0) or 60)
    return _S3_CACHE[key]


def _client_config():
    """Every bucket call bounded: connect and reply timeouts from ``PRIVATE_S3_TIMEOUTS``, three tries."""
    from botocore.config import Config

    connect, read = getattr(settings, "PRIVATE_S3_TIMEOUTS", (5, 30))
    return Config(connect_timeout=connect, read_timeout=read, retries={"max_attempts": 3, "mode": "standard"})


@deconstructible
class PrivateStorage(Storage):
    """A folder of ``PRIVATE_ROOT``, or a key prefix in the private bucket (see the module docstring)."""

    def __init__(self, subdir: str = ""):
        self.subdir = subdir

    @property
    def backend(self) -> Storage:
        if uses_bucket():
            prefix = "/".join(p for p in (getattr(settings, "PRIVATE_S3_PREFIX", "private"), self.subdir) if p)
            return _s3(prefix)
        root = Path(settings.PRIVATE_ROOT)
        return FileSystemStorage(location=str((root / self.subdir) if self.subdir else root))

    @property
    def location(self) -> str:
        backend = self.backend
        return str(Path(backend.location).resolve()) if isinstance(backend, FileSystemStorage) else backend.location

    # Storage API, delegated.
    def _open(self, name, mode="rb"):
        return self.backend._open(name, mode)

    def _save(self, name, content):
        return self.backend._save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)  # local folder only (NotImplementedError on a bucket)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def url(self, name):
        raise ValueError("Private files have no public URL; use the view that checks who asks.")

    def signed_url(self, name: str, *, filename: str = "", content_type: str = "") -> str:
        """A short-lived URL of a bucket object (``PRIVATE_SIGNED_URL_SECONDS``), for a checked request."""
        params = {}
        if filename:
            params["ResponseContentDisposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        if content_type:
            params["ResponseContentType"] = content_type
        return self.backend.url(name, parameters=params or None)


def private_storage(subdir: str = "") -> PrivateStorage:
    return PrivateStorage(subdir)


def private_response(storage: PrivateStorage, name: str, *, filename: str, content_type: str = "",
                     as_attachment: bool = True) -> HttpResponse:
    """The response to a download that the caller has already permitted (see the module docstring).
    Raises ``FileNotFoundError`` when the file is gone (callers answer 404)."""
    accel = getattr(settings, "PRIVATE_ACCEL_REDIRECT", "")
    seconds = getattr(settings, "PRIVATE_SIGNED_URL_SECONDS", 0)
    if uses_bucket() and seconds:
        if not storage.exists(name):
            raise FileNotFoundError(name)
        response: HttpResponse = HttpResponseRedirect(storage.signed_url(name, filename=filename,
                                                                         content_type=content_type))
    elif accel and not uses_bucket():
        # nginx serves PRIVATE_ROOT at the internal location PRIVATE_ACCEL_REDIRECT (deploy/nginx).
        relative = Path(storage.path(name)).resolve().relative_to(Path(settings.PRIVATE_ROOT).resolve())
        if not storage.exists(name):
            raise FileNotFoundError(name)
        response = HttpResponse(content_type=content_type or "application/octet-stream")
        response["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{quote(relative.as_posix())}"
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    else:
        response = FileResponse(storage.open(name, "rb"), as_attachment=as_attachment, filename=filename,
                                **({"content_type": content_type} if content_type else {}))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
