"""Demo history: past webinars with registrations, attendance (as a Teams import would record it)
and certificates issued by the real attendance rule and certificate service.

A demo member account (``giulia.ferrari@gruppogamma.coop`` / ``academy-demo``) can log in, download
her certificate from My Academy and open its verification page.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from academy.attendance.models import AttendanceRecord
from academy.attendance.services import record_minutes
from academy.courses.models import CoursePage
from academy.network.models import Person
from academy.registrations.models import Registration
from certificates.services import issue_for_course

from .base import demo_password, shown_password

DEMO_MEMBER = "giulia.ferrari@gruppogamma.coop"
DEMO_MEMBER_PASSWORD = "academy-demo"

# slug → (person e-mail, share of the planned minutes attended)
HISTORY = {
    "attrattivita-professioni-cura": [("giulia.ferrari@gruppogamma.coop", 1.0),
                                      ("chiara.galli@gruppogamma.coop", 0.9),
                                      ("marco.ricci@gruppogamma.coop", 0.5)],
    "welfare-culturale-rigenerazione": [("paolo.conti@gruppogamma.coop", 0.85),
                                        ("giulia.ferrari@gruppogamma.coop", 0.95)],
}


def load_history(ctx) -> None:
    member = Person.objects.filter(email=DEMO_MEMBER).first()
    if member is None:
        return
    if member.user_id is None:
        user = get_user_model().objects.create_user(username=DEMO_MEMBER, email=DEMO_MEMBER,
                                                    password=demo_password(DEMO_MEMBER_PASSWORD), first_name=member.first_name,
                                                    last_name=member.last_name)
        Person.objects.filter(pk=member.pk).update(user=user)
        ctx.log.append(f"member {DEMO_MEMBER} (password {shown_password(DEMO_MEMBER_PASSWORD)})")
    # Certificates e-mailed while loading would flood the console: deliver them to memory instead.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for slug, attendees in HISTORY.items():
            course = CoursePage.objects.filter(slug=slug, locale=ctx.it).first()
            if course is None or not course.is_past:
                continue
            sessions = course.scheduled_sessions()
            for email, share in attendees:
                person = Person.objects.filter(email=email).first()
                if person is None:
                    continue
                # Backfilled history: the registration service refuses courses that already took place.
                Registration.objects.get_or_create(course=course, person=person,
                                                   defaults={"status": Registration.Status.CONFIRMED})
                for session in sessions:
                    if not AttendanceRecord.objects.filter(session=session, person=person).exists():
                        record_minutes(session, person, int(session.planned_minutes * share),
                                       AttendanceRecord.Source.TEAMS)
            result = issue_for_course(course)
            if result.created:
                ctx.log.append(f"{result.created} certificates for {slug}")
