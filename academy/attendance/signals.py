"""What the attendance layer tells the layers above it (the API's webhooks), without knowing them."""

from django.dispatch import Signal

#: Sent by the one writer of intervals when an attendance report is recorded for a session (a whole Teams
#: report, or an entry of one that staff matched to a person later), inside the writing transaction.
#: kwargs: ``session`` (a ``Session``), ``source`` (an ``AttendanceRecord.Source`` value), ``person_ids``
#: (the people whose intervals the report recorded, sorted).
attendance_imported = Signal()
