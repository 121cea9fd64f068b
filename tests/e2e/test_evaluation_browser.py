"""A participant answers the satisfaction questionnaire on a phone-sized browser (390 px): a missing
answer is announced, the rating is picked with the keyboard, the answers are recorded anonymously."""

from __future__ import annotations

import pytest

from academy.evaluation.defaults import ensure_default_questionnaire
from academy.evaluation.models import Answer, Response
from academy.registrations.models import Registration

from .test_browser import CHROMIUM, HAVE_CHROMIUM, browser_page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"),
]

SCREENSHOT = "/tmp/evaluation-questionnaire-390.png"


@pytest.mark.django_db(transaction=True)
def test_participant_answers_the_questionnaire_on_a_phone(live_server, browser_page, make_course, make_person,  # noqa: F811
                                                          settings):
    settings.SITE_URL = live_server.url
    ensure_default_questionnaire()
    course = make_course(title="Comunicare con le famiglie", days=(-1,))
    person = make_person(email="lucia@gruppogamma.coop")
    Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
    page = browser_page
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    page.goto(f"{base}/it/accounts/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", "pw-12345!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{base}/it/my-academy/")
    page.get_by_test_id(f"evaluate-{course.pk}").click()
    page.wait_for_load_state()
    assert page.locator("fieldset legend").count() == 5
    # Only the first question answered: the others are announced as errors.
    page.get_by_test_id("question-1").locator("label.eval-rating").nth(4).click()
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    errors = page.get_by_test_id("errors")
    assert errors.get_attribute("role") == "alert"
    assert errors.locator("li").count() == 4
    assert page.locator("fieldset[aria-invalid=true]").count() == 4
    assert page.locator("input[name^=q]:checked").count() == 1  # the given answer is kept

    # Keyboard only for the second question: focus its first radio, arrow right to 4.
    page.get_by_test_id("question-2").locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.get_by_test_id("question-2").locator("input:checked").get_attribute("value") == "4"
    for n in (3, 4, 5):
        page.get_by_test_id(f"question-{n}").locator("label.eval-rating").nth(3).click()
    page.fill("textarea", "Molto concreto, grazie")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_test_id("submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("answered").is_visible()
    assert not refused, refused  # the form needs no inline script or style

    response = Response.objects.get(course=course)
    ratings = sorted(Answer.objects.filter(response=response, rating__isnull=False).values_list("rating", flat=True))
    assert ratings == [4, 4, 4, 4, 5]
    assert Answer.objects.filter(response=response, text="Molto concreto, grazie").exists()


@pytest.mark.django_db(transaction=True)
def test_trainer_reads_the_results_chart_and_table(live_server, browser_page, make_course, make_person,  # noqa: F811
                                                   settings):
    from django.contrib.auth import get_user_model

    from academy.courses.models import Trainer
    from academy.evaluation import services
    from academy.evaluation.models import Question

    settings.SITE_URL = live_server.url
    questionnaire = ensure_default_questionnaire()
    course = make_course(title="Comunicare con le famiglie", days=(-1,))
    user = get_user_model().objects.create_user("docente@example.coop", "docente@example.coop", "pw-12345!")
    course.trainers.add(Trainer.objects.create(name="Docente", user=user))
    course.save()
    for n, rating in enumerate([5, 4, 4, 3, 5, 2]):
        person = make_person()
        Registration.objects.create(course=course, person=person, status=Registration.Status.CONFIRMED)
        answers = {q.pk: services.AnswerValue(rating=rating) if q.kind == Question.Kind.RATING
                   else services.AnswerValue(text=f"Commento {n}") for q in questionnaire.questions.all()}
        services.submit_response(person, course, answers)
    page = browser_page
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/it/accounts/login/")
    page.fill("input[name=username]", "docente@example.coop")
    page.fill("input[name=password]", "pw-12345!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/it/evaluation/courses/{course.pk}/results/")
    assert page.get_by_test_id("result-question").count() == 6
    bars = page.get_by_test_id("result-question").first.locator("svg.eval-chart rect")  # one bar per table row
    widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
    assert widths[0] == 0 and widths[4] > widths[2] > 0  # 1: nobody, 5: two people, 3: one (no inline styles)
    page.screenshot(path="/tmp/evaluation-results-390.png", full_page=True)
    assert not refused, refused
