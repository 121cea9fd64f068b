"""A funded course's page tells staff and the plan's learners that it is funded, and nobody else."""

from __future__ import annotations


def test_funded_notice_for_learners_and_staff_only(funded, client, admin_user, make_person):
    url = funded.course.url
    assert "funded-notice" not in client.get(url).content.decode()  # anonymous
    client.force_login(make_person().user)
    assert "funded-notice" not in client.get(url).content.decode()  # a member not registered
    client.force_login(funded.anna.user)
    page = client.get(url).content.decode()
    assert "funded-notice" in page and "AVS/055/25I" in page and "70%" in page
    client.force_login(admin_user)
    assert "funded-notice" in client.get(url).content.decode()
