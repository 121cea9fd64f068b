"""Signals for the layers above: ``test_passed`` is sent after the commit of a passing attempt
(kwargs ``course_id``, ``person_id``); certificates connect to it to issue the certificate."""

from django.dispatch import Signal

test_passed = Signal()
