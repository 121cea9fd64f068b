"""Demo evaluation: a webinar that ended three days ago with the default satisfaction questionnaire and a
required final learning test, five anonymous answers (so its trainer, ``formatrice`` / ``academy-trainer``,
sees the results) and an earlier edition of the same webinar for the trend.

The demo member (``giulia.ferrari@gruppogamma.coop`` / ``academy-demo``) attended but has not answered
yet: My Academy links her to the questionnaire and to the test, and once she passes it staff can issue
her certificate. Idempotent: courses are looked up by slug, answers are written only once per course.
"""

from __future__ import annotations

from academy.attendance.models import AttendanceRecord
from academy.attendance.services import record_minutes
from academy.evaluation import services as evaluation
from academy.evaluation.defaults import ensure_default_questionnaire
from academy.evaluation.models import CourseEvaluation, Question, Response, TestQuestion
from academy.network.models import Person
from academy.registrations.models import Registration
from webinars.models import WebinarPage

from .courses import DemoCourse, ensure_course

TITLE = "Valutare l'impatto sociale dei servizi"
TITLE_EN = "Assessing the social impact of services"
ANSWERING = ["marco.ricci@gruppogamma.coop", "chiara.galli@gruppogamma.coop", "paolo.conti@gruppogamma.coop",
             "elena.marino@gruppogamma.coop", "hr@gruppogamma.coop"]
DEMO_MEMBER = "giulia.ferrari@gruppogamma.coop"
# per answering person: ratings of the five rating questions and a comment
ANSWERS = {
    "valutare-impatto-sociale": [((5, 4, 5, 4, 5), "Esempi molto concreti, vorrei un secondo incontro."),
                                 ((4, 4, 5, 3, 4), "Audio a tratti disturbato."),
                                 ((5, 5, 4, 4, 5), ""),
                                 ((3, 4, 4, 4, 3), "Più tempo per le domande."),
                                 ((4, 5, 5, 5, 4), "Utile per il bilancio sociale.")],
    "valutare-impatto-sociale-2025": [((3, 3, 4, 3, 3), "Troppo teorico."),
                                      ((4, 3, 4, 2, 3), ""),
                                      ((3, 4, 3, 3, 4), "Slide poco leggibili."),
                                      ((4, 4, 4, 3, 3), ""),
                                      ((3, 3, 4, 4, 3), "")],
}
QUIZ = [
    ("Che cosa misura la valutazione d'impatto sociale?",
     "Gli effetti di un servizio sulle persone e sulla comunità\nIl fatturato della cooperativa\nIl numero di soci",
     "The effects of a service on people and the community\nThe cooperative's turnover\nThe number of members", 1),
    ("Quale documento rende conto dell'impatto agli stakeholder?",
     "Il bilancio sociale\nIl DURC\nIl registro presenze",
     "The social report\nThe DURC\nThe attendance register", 1),
    ("Un indicatore di esito (outcome) descrive…",
     "le attività svolte\nil cambiamento ottenuto per i beneficiari\nle ore lavorate",
     "the activities carried out\nthe change achieved for beneficiaries\nthe hours worked", 2),
    ("Chi coinvolgere nella scelta degli indicatori?",
     "Solo il consiglio di amministrazione\nGli stakeholder del servizio\nNessuno",
     "Only the board\nThe service's stakeholders\nNobody", 2),
]


def _specs() -> list[DemoCourse]:
    common = dict(abstract="<p>Come scegliere indicatori di esito e raccontare l'impatto dei servizi.</p>",
                  topics=["Indicatori di esito", "Bilancio sociale"], areas=["politiche-lavoro"],
                  trainers=["Francesca Battistoni"], hours="2",
                  abstract_en="<p>Choosing outcome indicators and reporting the impact of services.</p>",
                  topics_en=["Outcome indicators", "Social report"])
    return [
        DemoCourse("valutare-impatto-sociale-2025", WebinarPage, TITLE + " (1ª edizione)", TITLE_EN + " (1st edition)",
                   sessions=[(-370, (10, 0), (12, 0), "online")], slug_en="assessing-social-impact-2025", **common),
        DemoCourse("valutare-impatto-sociale", WebinarPage, TITLE, TITLE_EN,
                   sessions=[(-3, (10, 0), (12, 0), "online")], slug_en="assessing-social-impact", **common),
    ]


def _participate(course, person) -> None:
    Registration.objects.get_or_create(course=course, person=person,
                                       defaults={"status": Registration.Status.CONFIRMED})
    for session in course.scheduled_sessions():
        if not AttendanceRecord.objects.filter(session=session, person=person).exists():
            record_minutes(session, person, session.planned_minutes, AttendanceRecord.Source.TEAMS)


def load_evaluation(ctx) -> None:
    questionnaire = ensure_default_questionnaire()
    if "politiche-lavoro" not in ctx.areas or "Francesca Battistoni" not in ctx.trainers:
        return
    for spec in _specs():
        course = ensure_course(ctx, spec)
        if not course.is_past:
            continue
        people = [p for p in (Person.objects.filter(email=e).first() for e in ANSWERING) if p is not None]
        member = Person.objects.filter(email=DEMO_MEMBER).first()
        for person in people + ([member] if member and spec.slug == "valutare-impatto-sociale" else []):
            _participate(course, person)
        if spec.slug == "valutare-impatto-sociale":
            _learning_test(course)
        if Response.objects.filter(course=course).exists():
            continue
        questions = list(questionnaire.questions.all())
        for person, (ratings, comment) in zip(people, ANSWERS[spec.slug], strict=False):
            answers, rating = {}, iter(ratings)
            for question in questions:
                if question.kind == Question.Kind.RATING:
                    answers[question.pk] = evaluation.AnswerValue(rating=next(rating))
                elif question.kind == Question.Kind.TEXT and comment:
                    answers[question.pk] = evaluation.AnswerValue(text=comment)
            evaluation.submit_response(person, course, answers)
        ctx.log.append(f"{len(people)} anonymous answers for {spec.slug}")


def _learning_test(course) -> None:
    settings, created = CourseEvaluation.objects.get_or_create(
        course=course, defaults={"test_required": True, "pass_mark": 75, "max_attempts": 3})
    if not created:
        return
    for order, (text, choices_it, choices_en, correct) in enumerate(QUIZ):
        TestQuestion.objects.create(evaluation=settings, sort_order=order, text_it=text, choices_it=choices_it,
                                    choices_en=choices_en, correct=correct)
