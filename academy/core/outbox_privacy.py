"""The outbox's personal data. Mail not yet sent to a person who asks to be erased is withdrawn (an
erased person gets no further mail). Sent mail stays as the delivery record (key, status, times) but
loses what identifies the person: mail to them loses address, subject, bodies and attachments (their
certificate PDF among them); mail to others that names them (an HR digest) has the name redacted."""

from __future__ import annotations

from academy.core import privacy
from academy.core.models import OutboxMessage

ERASED_ADDRESS = "erased@anonymised.invalid"


def erase_mail(person, *, by, now) -> None:
    own = OutboxMessage.objects.filter(to__iexact=person.email)
    own.exclude(status=OutboxMessage.Status.SENT).delete()
    own.update(to=ERASED_ADDRESS, subject="", body="", html_body="", attachments=[], context={}, last_error="")
    words = privacy.identifiers(person)
    naming = OutboxMessage.objects.filter(privacy.mentions(person)("subject", "body", "html_body", "last_error"))
    for message in naming:
        for field in ("subject", "body", "html_body", "last_error"):
            setattr(message, field, privacy.redact(getattr(message, field), person, words=words))
        message.save(update_fields=["subject", "body", "html_body", "last_error"])


# Before the person is anonymised: the rows are found by the person's address.
privacy.register("outbox", erase=erase_mail, order=20)
