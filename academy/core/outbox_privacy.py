"""The outbox's personal data: mail not yet sent to a person who asks to be erased is withdrawn (an
erased person gets no further mail). Sent rows stay as the delivery record."""

from __future__ import annotations

from academy.core import privacy
from academy.core.models import OutboxMessage


def erase_unsent_mail(person, *, by, now) -> None:
    OutboxMessage.objects.filter(to__iexact=person.email).exclude(status=OutboxMessage.Status.SENT).delete()


# Before the person is anonymised: the rows are found by the person's address.
privacy.register("outbox", erase=erase_unsent_mail, order=20)
