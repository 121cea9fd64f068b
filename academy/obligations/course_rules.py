"""What the law asks of a course that satisfies an obligation of the State-Regions Agreement of 17/04/2025,
checked when the course is saved (registered with ``academy.courses.checks``):

* no session mixing classroom and videoconference: each learner at their own device, no room in front of
  one screen (FAQ ASR 2025 n. 46);
* no videoconference where the obligation allows none (e.g. practical courses, FAQ ASR 2026 q. 33) or for
  its practical hours;
* no e-learning module where the obligation's table forbids it (Part IV);
* a final test (Part IV 6.3; FAQ ASR 2025 nn. 14, 51): the learning test required, with its questions;
* a distance course has a tutor who is not one of its trainers (FAQ ASR 2025 nn. 59-60).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import CourseModule, DeliveryMode, LegalFrame


def agreement_course_problems(course) -> list[str]:
    if not course.pk:
        return []
    canonical = course.canonical
    modules = list(CourseModule.objects.filter(course_id=canonical.pk, obligation__legal_frame=LegalFrame.ASR_2025)
                   .select_related("obligation"))
    if not modules:
        return []
    # the sessions being saved (the page form's, in memory) when this is the canonical page
    sessions = [s for s in (course if course.pk == canonical.pk else canonical).sessions.all() if not s.cancelled]
    modes = {s.mode for s in sessions}
    problems = []
    if "hybrid" in modes:
        problems.append(_("A course under the State-Regions Agreement cannot have a session mixing classroom and "
                          "videoconference: each learner follows from their own device (FAQ ASR 2025 n. 46)."))
    remote = bool(modes & {"online", "hybrid"})
    no_video = sorted({m.obligation.localized_title for m in modules if not m.obligation.allow_videoconference
                       and (remote or m.delivery_mode == DeliveryMode.VIDEOCONFERENCE)})
    if no_video:
        problems.append(_("%(obligations)s: videoconference is not allowed (FAQ ASR 2026 q. 33): hold the "
                          "sessions in the classroom.") % {"obligations": ", ".join(no_video)})
    practical = sorted({m.obligation.localized_title for m in modules if m.obligation.practical_hours})
    if practical and remote and "in_person" not in modes:
        problems.append(_("%(obligations)s: the practical hours need a classroom session; videoconference "
                          "does not count for them.") % {"obligations": ", ".join(practical)})
    no_elearning = sorted({m.obligation.localized_title for m in modules
                           if m.delivery_mode == DeliveryMode.ELEARNING and not m.obligation.allow_elearning})
    if no_elearning:
        problems.append(_("%(obligations)s: e-learning is not allowed by the Agreement's table for this course.")
                        % {"obligations": ", ".join(no_elearning)})
    if any(m.obligation.final_test_required for m in modules):
        from academy.evaluation.models import CourseEvaluation

        wanted = max((m.obligation.test_min_questions or 1) for m in modules)
        evaluation = CourseEvaluation.objects.filter(course_id=canonical.pk).first()
        if evaluation is None or not evaluation.test_required or evaluation.test_questions.count() < wanted:
            problems.append(_("A course under the State-Regions Agreement needs a final test: require the "
                              "learning test and write at least %(n)s questions (Part IV 6.3; FAQ ASR 2025 "
                              "n. 52).") % {"n": wanted})
    distance = remote or any(m.delivery_mode != DeliveryMode.CLASSROOM for m in modules)
    if distance:
        trainer_ids = {t.pk for t in course.trainers.all()}
        if course.tutor_id is None or course.tutor_id in trainer_ids:
            problems.append(_("A distance course under the State-Regions Agreement needs a tutor who is not one of "
                              "its trainers (FAQ ASR 2025 nn. 59-60)."))
    return problems
