"""Admin logs (Wagtail's ``ModelLogEntry``/``PageLogEntry``, Django admin's ``LogEntry``): kept as the
record of who changed what, with the erased person's name, e-mail and codice fiscale redacted from the
label, the change message and the logged data."""

from __future__ import annotations

import json

from django.contrib.admin.models import LogEntry
from wagtail.models import ModelLogEntry, PageLogEntry

from academy.core import privacy


def _redact_json(value, person, words):
    return json.loads(privacy.redact(json.dumps(value, ensure_ascii=False), person, words=words))


def erase_admin_logs(person, *, by, now) -> None:
    words = privacy.identifiers(person)
    on = privacy.mentions(person)
    for model in (ModelLogEntry, PageLogEntry):
        for entry in model.objects.filter(on("label", "data")):
            model.objects.filter(pk=entry.pk).update(label=privacy.redact(entry.label, person, words=words),
                                                     data=_redact_json(entry.data, person, words))
    for entry in LogEntry.objects.filter(on("object_repr", "change_message")):
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=privacy.redact(entry.object_repr, person, words=words)[:200],
            change_message=privacy.redact(entry.change_message, person, words=words))


# Before the person is anonymised: entries are found by the person's name and address.
privacy.register("admin_logs", erase=erase_admin_logs, order=25)
