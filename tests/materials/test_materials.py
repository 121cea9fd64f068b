"""Trainers' materials: who may download what and when, the trainers' area, and upload validation
(type, size, content; nothing half-saved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from academy.materials import services
from academy.materials.models import Material
from academy.registrations import services as registrations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the (English) messages; URLs reversed here get the /en/ prefix too."""
    from django.utils import translation

    with translation.override("en"):
        yield

PDF = b"%PDF-1.4\n% slides\n" + b"x" * 200


def pdf(name: str = "slides.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def setting(make_course, make_person, make_trainer, staff):
    """A course whose first session ended 3 days ago and whose second is in 10 days, its trainer, a
    trainer of another course, a registrant, a member not registered, and three materials."""
    course = make_course(kind="masterclass", days=(-3, 10), capacity=10).specific
    other_course = make_course(kind="masterclass", days=(5,)).specific
    trainer = make_trainer(course, "trainer")
    other_trainer = make_trainer(other_course, "othertrainer")
    registrant = make_person()
    assert registrations.register(registrant, course).status == "confirmed"
    past, future = course.sessions.order_by("starts_at")
    materials = {
        "past_after": services.add_material(past, title="Slide 1", by=trainer.user, upload=pdf(),
                                            visible_after_session=True),
        "future_after": services.add_material(future, title="Slide 2", by=trainer.user, upload=pdf("s2.pdf"),
                                              visible_after_session=True),
        "future_now": services.add_material(future, title="Registrazione", by=trainer.user,
                                            url="https://example.org/recording/123"),
    }
    return {"course": course, "other_course": other_course, "trainer": trainer.user,
            "other_trainer": other_trainer.user, "registrant": registrant.user,
            "member": make_person().user, "staff": staff, "materials": materials}


# who: expected status for (past_after, future_after, future_now)
MATRIX = {
    "anonymous": (302, 302, 302),
    "member": (403, 403, 403),
    "registrant": (200, 403, 302),
    "other_trainer": (403, 403, 403),
    "trainer": (200, 200, 302),
    "staff": (200, 200, 302),
}


def test_permission_matrix(client, setting):
    url = {key: reverse("materials:material", args=[m.pk]) for key, m in setting["materials"].items()}
    for who, expected in MATRIX.items():
        client.logout()
        if who != "anonymous":
            client.force_login(setting[who])
        statuses = tuple(client.get(url[key]).status_code for key in ("past_after", "future_after", "future_now"))
        assert statuses == expected, who
    client.logout()
    assert "/accounts/login/" in client.get(url["past_after"])["Location"]


def test_download_is_private_and_exact(client, setting):
    material = setting["materials"]["past_after"]
    client.force_login(setting["registrant"])
    response = client.get(reverse("materials:material", args=[material.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="slides.pdf"')
    assert response["Cache-Control"] == "private, no-store"
    path = Path(material.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "slides" not in path.name  # the stored name is random, not guessable
    with pytest.raises(ValueError):
        material.file.url  # noqa: B018 - no public URL exists


def test_link_redirects_only_after_the_check(client, setting):
    client.force_login(setting["registrant"])
    response = client.get(reverse("materials:material", args=[setting["materials"]["future_now"].pk]))
    assert response["Location"] == "https://example.org/recording/123"


def test_cancelled_registrant_loses_access(client, setting):
    from academy.registrations.models import Registration

    registration = Registration.objects.get(person__user=setting["registrant"])
    registrations.cancel(registration, by=setting["registrant"])
    client.force_login(setting["registrant"])
    assert client.get(reverse("materials:material", args=[setting["materials"]["past_after"].pk])).status_code == 403


def test_course_page_lists_materials_only_to_registrants(client, setting):
    url = setting["course"].url
    client.force_login(setting["member"])
    assert b'data-testid="material"' not in client.get(url).content
    client.force_login(setting["registrant"])
    content = client.get(url).content.decode()
    assert content.count('data-testid="material"') == 2  # the future "after the session" one is hidden
    assert "Slide 1" in content and "Slide 2" not in content
    mine = client.get(reverse("materials:my_materials")).content.decode()
    assert "Slide 1" in mine and "Slide 2" not in mine


def test_trainer_sees_only_own_courses(client, setting):
    client.force_login(setting["trainer"])
    page = client.get(reverse("materials:trainer_home")).content.decode()
    assert setting["course"].title in page and setting["other_course"].title not in page
    client.force_login(setting["member"])
    assert client.get(reverse("materials:trainer_home")).status_code == 403


def test_trainer_of_another_course_cannot_upload_or_delete(client, setting):
    session = setting["course"].sessions.first()
    client.force_login(setting["other_trainer"])
    response = client.post(reverse("materials:upload", args=[session.pk]), {"title": "x", "file": pdf()})
    assert response.status_code == 403
    material = setting["materials"]["past_after"]
    assert client.post(reverse("materials:delete_material", args=[material.pk])).status_code == 403
    assert Material.objects.count() == 3


def test_trainer_uploads_and_deletes_through_the_area(client, setting, django_capture_on_commit_callbacks):
    session = setting["course"].sessions.order_by("starts_at").last()
    client.force_login(setting["trainer"])
    before = len(stored_files())
    response = client.post(reverse("materials:upload", args=[session.pk]), {
        "title": "Dispensa", "file": SimpleUploadedFile("dispensa.docx", b"PK\x03\x04rest-of-docx"),
        "visible_after_session": "on"})
    assert response.status_code == 302
    material = Material.objects.get(title="Dispensa")
    assert material.visible_after_session and material.uploaded_by == setting["trainer"]
    assert len(stored_files()) == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("materials:delete_material", args=[material.pk]))
    assert not Material.objects.filter(pk=material.pk).exists()
    assert len(stored_files()) == before


@pytest.mark.parametrize(("upload", "url", "message"), [
    (SimpleUploadedFile("virus.exe", b"MZ..."), "", "not accepted"),
    (SimpleUploadedFile("video.mp4", b"\x00\x00\x00 ftypmp4"), "", "share a link"),
    (SimpleUploadedFile("fake.pdf", b"MZ not a pdf"), "", "does not match"),
    (SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024)), "", "too large"),
    (None, "", "one of the two"),
    (SimpleUploadedFile("ok.pdf", PDF), "https://example.org/x", "one of the two"),
])
def test_bad_uploads_are_refused_with_a_clear_error(client, setting, settings, upload, url, message):
    settings.MATERIALS_MAX_UPLOAD_MB = 1
    session = setting["course"].sessions.first()
    client.force_login(setting["trainer"])
    before_files, before_rows = len(stored_files()), Material.objects.count()
    data = {"title": "Tentativo", "url": url}
    if upload is not None:
        data["file"] = upload
    response = client.post(reverse("materials:upload", args=[session.pk]), data, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any(message in text for text in texts), texts
    assert Material.objects.count() == before_rows
    assert len(stored_files()) == before_files


def test_file_is_removed_when_saving_the_row_fails(setting, monkeypatch):
    session = setting["course"].sessions.first()
    before = len(stored_files())

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Material, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.add_material(session, title="Slide", by=setting["trainer"], upload=pdf())
    assert len(stored_files()) == before
