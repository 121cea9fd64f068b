"""Private files on an S3-compatible bucket (django-storages against moto's server mode on loopback):
uploads land in the bucket as private objects under the private prefix, a permitted download is a
short-lived signed URL (or streamed), a refused one reveals nothing; and with the local folder behind
nginx, a permitted download is an ``X-Accel-Redirect`` to the internal location."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from tests.materials.test_materials import PDF, setting  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint):
    import uuid

    name = f"academy-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-south-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-south-1"})
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_REGION_NAME = "eu-south-1"
    settings.AWS_ACCESS_KEY_ID = settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.PRIVATE_SIGNED_URL_SECONDS = 60
    return client, name


@pytest.fixture
def on_bucket(bucket, request):
    return bucket, request.getfixturevalue("setting")


def test_materials_live_in_the_bucket_privately_and_download_through_signed_urls(client, on_bucket, settings):
    (s3, name), data = on_bucket
    material = data["materials"]["past_after"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]]
    assert f"private/materials/{material.file.name}" in keys and len(keys) == 2
    grants = s3.get_object_acl(Bucket=name, Key=f"private/materials/{material.file.name}")["Grants"]
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in grants)

    url = reverse("materials:material", args=[material.pk])
    client.force_login(data["member"])
    refused = client.get(url)
    assert refused.status_code == 403 and "X-Amz" not in refused.headers.get("Location", "")
    client.force_login(data["registrant"])
    response = client.get(url)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert "slides.pdf" in query["response-content-disposition"][0]
    fetched = requests.get(signed, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF

    settings.PRIVATE_SIGNED_URL_SECONDS = 0  # streamed by the app instead
    streamed = client.get(url)
    assert streamed.status_code == 200 and b"".join(streamed.streaming_content) == PDF

    assert material.file.storage.exists(material.file.name)
    material.file.storage.delete(material.file.name)
    assert client.get(url).status_code == 404


def test_behind_nginx_a_permitted_download_is_an_internal_redirect(client, settings, request):
    settings.PRIVATE_ACCEL_REDIRECT = "/_private/"
    data = request.getfixturevalue("setting")
    material = data["materials"]["past_after"]
    url = reverse("materials:material", args=[material.pk])
    client.force_login(data["member"])
    assert "X-Accel-Redirect" not in client.get(url).headers
    client.force_login(data["registrant"])
    response = client.get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/materials/{material.file.name}"
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''slides.pdf"
