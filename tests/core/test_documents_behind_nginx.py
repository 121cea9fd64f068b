"""Wagtail documents behind nginx: the serve view checks the collection's restriction first, and only a
permitted request is handed to nginx's internal location (``X-Accel-Redirect``); a restricted document
never names its file to an anonymous visitor. nginx itself is checked by benchmarks/topology.py."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.utils import sendfile as wagtail_sendfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_nginx(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DOCUMENTS_ACCEL_REDIRECT = "/media/documents/"
    settings.SENDFILE_BACKEND = "academy.core.sendfile"
    wagtail_sendfile._get_sendfile.clear()  # Wagtail loads the backend once per process
    yield
    wagtail_sendfile._get_sendfile.clear()


def document(title: str, collection=None):
    Document = get_document_model()
    doc = Document(title=title, collection=collection or Collection.get_first_root_node())
    doc.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4 " + title.encode()), save=False)
    doc.save()
    return doc


def test_a_public_document_is_handed_to_nginx_and_a_restricted_one_is_not(behind_nginx, client, django_user_model):
    root = Collection.get_first_root_node()
    private = root.add_child(instance=Collection(name="Riservati"))
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    public, restricted = document("bando"), document("verbale", private)

    response = client.get(public.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/media/documents/{public.file.name.split('/', 1)[1]}"

    response = client.get(restricted.url)
    assert response.status_code == 302 and "X-Accel-Redirect" not in response
    assert b"verbale" not in response.content

    client.force_login(django_user_model.objects.create_user("socia", "socia@example.org", "pw-12345!"))
    response = client.get(restricted.url)
    assert response.status_code == 200 and response["X-Accel-Redirect"].startswith("/media/documents/verbale")


def test_a_file_outside_the_documents_folder_is_refused(behind_nginx, settings, tmp_path, rf):
    from django.http import Http404

    from academy.core.sendfile import sendfile

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.png").write_bytes(b"x")
    with pytest.raises(Http404):
        sendfile(rf.get("/"), str(tmp_path / "images" / "x.png"))
    with pytest.raises(Http404):
        sendfile(rf.get("/"), str(tmp_path / "documents" / ".." / "images" / "x.png"))
