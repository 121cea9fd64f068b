"""Sign-up in the page's language, with the privacy notice linked, back to the course one came from."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def signup_data(**extra) -> dict:
    return {"first_name": "Anna", "last_name": "Rossi", "email": "anna@gruppogamma.coop", "job_role": "",
            "preferred_language": "it", "password1": "Cooperare-2026!", "password2": "Cooperare-2026!", **extra}


def test_password_errors_are_in_the_language_of_the_page(client, site):
    response = client.post("/it/accounts/signup/", signup_data(password1="abc", password2="abc"),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "troppo corta" in response.content.decode()


def test_signup_links_the_privacy_notice(client, site):
    body = client.get("/it/accounts/signup/").content.decode()
    assert 'href="/it/privacy/"' in body


def test_after_verification_the_member_lands_on_the_course_they_came_from(
        client, site, make_course, django_capture_on_commit_callbacks):
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/it/accounts/signup/?next={course.url}", signup_data())
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group(0)
    response = client.get(link[link.index("/it/"):])
    assert response.status_code == 302
    assert response["Location"] == course.url


def test_an_outside_next_is_ignored(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/it/accounts/signup/?next=https://evil.example/", signup_data())
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body).group(0)
    response = client.get(link[link.index("/it/"):])
    assert "evil.example" not in response["Location"]
