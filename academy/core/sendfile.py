"""Wagtail documents behind nginx: the ``SENDFILE_BACKEND`` that Wagtail's document serve view calls
once it has checked the document's collection restrictions (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``).

It answers with ``X-Accel-Redirect`` to nginx's ``internal`` location for documents
(``DOCUMENTS_ACCEL_REDIRECT``, e.g. ``/media/documents/``; deploy/nginx/academy.conf), so nginx sends the
bytes and no client can fetch a document by its file name without the app's check. The protocol is
django-sendfile's (a module with ``sendfile(request, filename, **kwargs)``), which Wagtail documents for
this setting.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def sendfile(request, filename, **kwargs) -> HttpResponse:
    documents = (Path(settings.MEDIA_ROOT) / "documents").resolve()
    path = Path(filename).resolve()
    if not path.is_relative_to(documents):  # only documents have an internal location
        raise Http404("not a document")
    response = HttpResponse()
    response["X-Accel-Redirect"] = settings.DOCUMENTS_ACCEL_REDIRECT + quote(str(path.relative_to(documents)))
    return response
